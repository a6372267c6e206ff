-- Clustered articles that share an LSH band key with one of a chunk's new articles (incoming_bands): in each
-- (band, key), only the latest getvariable('cluster_predecessors') (the only ones a new article is compared
-- with), with their signatures and clusters, in order: those clustered before this run by first_seen, then this
-- run's earlier chunks in their order, as if the run had clustered all its articles at once. The order is
-- numbered per article first, so the band rows found are only grouped, never sorted.
with hits as (
    select b.band, b.key, b.article_id
    from story_bands as b
    semi join incoming_bands as i on b.band = i.band and b.key = i.key
),

clustered as (
    select
        c.article_id,
        c.cluster_id,
        row_number() over (order by coalesce(u.seq, -1), c.first_seen, c.article_id) as ord
    from story_clusters as c
    left join unclustered as u on c.article_id = u.article_id
),

latest as (
    select unnest(max_by(c.ord, c.ord, getvariable('cluster_predecessors'))) as ord
    from hits as h
    inner join clustered as c on h.article_id = c.article_id
    group by h.band, h.key
),

final as (
    select c.article_id, c.cluster_id, s.signature
    from clustered as c
    semi join latest as l on c.ord = l.ord
    inner join story_signatures as s on c.article_id = s.article_id
    order by c.ord
)

select * from final;
