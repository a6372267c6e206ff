-- Clustered articles that share an LSH band key with a new one (incoming_bands), first first, with their
-- signatures and clusters.
with hits as (
    select distinct b.article_id
    from story_bands as b
    semi join incoming_bands as i on b.band = i.band and b.key = i.key
),

final as (
    select c.article_id, c.cluster_id, s.signature
    from hits as h
    inner join story_clusters as c on h.article_id = c.article_id
    inner join story_signatures as s on h.article_id = s.article_id
    order by c.first_seen, c.article_id
)

select * from final;
