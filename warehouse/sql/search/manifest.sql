-- What the search index holds once it is up to date: every article, in the version the warehouse has.
with final as (
    select article_id, run_id from articles
)

select * from final;
