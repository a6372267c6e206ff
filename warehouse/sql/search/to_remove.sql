-- Articles the search index holds that the warehouse no longer has in that version (deleted or replaced).
with indexed as (
    select article_id, run_id from search_manifest
),

final as (
    select i.article_id
    from indexed as i
    anti join articles as a on a.article_id = i.article_id and a.run_id = i.run_id
)

select * from final;
