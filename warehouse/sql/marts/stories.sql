-- grain: one row per story cluster (copies of one story: syndicated, re-saved, edited or re-headlined);
-- key: cluster_id. The first article is the one the warehouse saw first (then by article_id).
create or replace view stories as
with members as (
    select
        c.cluster_id,
        c.article_id,
        c.similarity,
        c.first_seen,
        a.title,
        a.published,
        a.url,
        coalesce(a.site, a.domain) as site,
        row_number() over (partition by c.cluster_id order by c.first_seen, c.article_id) as n
    from story_clusters as c
    inner join articles as a on c.article_id = a.article_id
),

firsts as (
    select cluster_id, article_id as first_article_id, title as headline, site as first_site, url as first_url
    from members
    where n = 1
),

sizes as (
    select
        cluster_id,
        count(*) as size,
        count(distinct site) as site_count,
        list_sort(list(distinct site) filter (where site is not null)) as sites,
        count(distinct title) as headlines,
        min(published) as first_published,
        max(published) as last_published,
        min(first_seen) as first_seen,
        max(first_seen) as last_seen,
        round(min(similarity), 3) as min_similarity
    from members
    group by cluster_id
),

final as (
    select
        s.cluster_id,
        s.size,
        s.site_count,
        s.sites,
        s.first_published,
        s.last_published,
        f.headline,
        s.headlines,
        f.first_site,
        f.first_url,
        f.first_article_id,
        s.first_seen,
        s.last_seen,
        s.min_similarity
    from sizes as s
    inner join firsts as f on s.cluster_id = f.cluster_id
)

select * from final;
