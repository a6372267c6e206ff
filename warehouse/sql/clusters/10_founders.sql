-- The first article of each candidate cluster, with its signature: the earliest (first_seen, then article_id)
-- of those clustered before this run, else the first of this run's.
with members as (
    select
        c.cluster_id,
        arg_min(c.article_id, (coalesce(u.seq, -1), c.first_seen, c.article_id)) as article_id
    from story_clusters as c
    left join unclustered as u on c.article_id = u.article_id
    where c.cluster_id in (select cluster_id from candidate_clusters)
    group by c.cluster_id
),

final as (
    select m.cluster_id, s.signature
    from members as m
    inner join story_signatures as s on m.article_id = s.article_id
)

select * from final;
