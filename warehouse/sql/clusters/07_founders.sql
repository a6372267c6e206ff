-- The first article (earliest first_seen, then article_id) of each candidate cluster, with its signature.
with members as (
    select
        cluster_id,
        article_id,
        row_number() over (partition by cluster_id order by first_seen, article_id) as n
    from story_clusters
    where cluster_id in (select cluster_id from candidate_clusters)
),

final as (
    select m.cluster_id, s.signature
    from members as m
    inner join story_signatures as s on m.article_id = s.article_id
    where m.n = 1
)

select * from final;
