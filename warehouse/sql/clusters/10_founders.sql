-- The first article of each candidate cluster, with its signature: the earliest (first_seen, then article_id)
-- of those clustered before this run, else the first of this run's.
with members as (
    select
        c.cluster_id,
        c.article_id,
        row_number() over (
            partition by c.cluster_id order by coalesce(u.seq, -1), c.first_seen, c.article_id
        ) as n
    from story_clusters as c
    left join unclustered as u on c.article_id = u.article_id
    where c.cluster_id in (select cluster_id from candidate_clusters)
),

final as (
    select m.cluster_id, s.signature
    from members as m
    inner join story_signatures as s on m.article_id = s.article_id
    where m.n = 1
)

select * from final;
