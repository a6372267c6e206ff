-- What the search index must match: the articles and the run that loaded each (a replaced or re-read
-- article comes back with a new run_id), folded into one order-free value.
with current_articles as (
    select article_id, run_id from articles
),

final as (
    select
        count(*) as articles,
        coalesce(bit_xor(hash(article_id, run_id)), 0)::varchar as fingerprint
    from current_articles
)

select * from final;
