-- grain: one row per publication date
create or replace view daily_articles as
with dated as (
    select published, site, word_count from articles where published is not null
),

final as (
    select
        published,
        count(*) as articles,
        count(distinct site) as sites,
        sum(word_count) as words
    from dated
    group by published
)

select * from final
order by published;
