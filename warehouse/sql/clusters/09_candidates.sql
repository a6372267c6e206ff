-- Clustered articles that share an LSH band key with one of a chunk's new articles (incoming_bands): in each
-- (band, key), only the latest getvariable('cluster_predecessors') (the only ones an article is compared with),
-- with their signatures and clusters. Order: articles clustered before this run by first_seen, then this run's
-- earlier chunks in their order, as if the run had clustered all its articles at once.
with hits as (
    select b.band, b.key, b.article_id
    from story_bands as b
    semi join incoming_bands as i on b.band = i.band and b.key = i.key
),

ordered as (
    select
        h.band,
        h.key,
        h.article_id,
        c.cluster_id,
        c.first_seen,
        coalesce(u.seq, -1) as run_seq
    from hits as h
    inner join story_clusters as c on h.article_id = c.article_id
    left join unclustered as u on h.article_id = u.article_id
),

latest as (
    select distinct article_id, cluster_id, first_seen, run_seq
    from ordered
    qualify row_number() over (
        partition by band, key order by run_seq desc, first_seen desc, article_id desc
    ) <= getvariable('cluster_predecessors')
),

final as (
    select l.article_id, l.cluster_id, s.signature
    from latest as l
    inner join story_signatures as s on l.article_id = s.article_id
    order by l.run_seq, l.first_seen, l.article_id
)

select * from final;
