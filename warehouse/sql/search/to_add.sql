-- Articles the search index lacks, or holds in an older version (search_manifest: what it holds).
with indexed as (
    select article_id, run_id from search_manifest
),

final as (
    select a.article_id, a.run_id, a.title, a.body, a.site, a.domain, a.published
    from articles as a
    anti join indexed as i on a.article_id = i.article_id and a.run_id = i.run_id
)

select * from final;
