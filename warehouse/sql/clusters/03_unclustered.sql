-- The articles not clustered yet, in the order they were first seen (the order they join clusters in).
with unclustered as (
    select a.article_id, a.body, d.ingested_at as first_seen
    from articles as a
    inner join documents as d on a.doc_id = d.doc_id
    anti join story_clusters as c on a.article_id = c.article_id
),

final as (
    select article_id, body, first_seen
    from unclustered
    order by first_seen, article_id
)

select * from final;
