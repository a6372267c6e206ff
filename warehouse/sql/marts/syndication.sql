-- grain: one row per pair of sites (site_a < site_b) that carry at least one story in common; the pairs that
-- republish each other most come first. a_first / b_first: stories one of them published on an earlier day.
create or replace view syndication as
with site_stories as (
    select
        c.cluster_id,
        coalesce(a.site, a.domain) as site,
        min(a.published) as published
    from story_clusters as c
    inner join articles as a on c.article_id = a.article_id
    where coalesce(a.site, a.domain) is not null
    group by 1, 2
),

site_totals as (
    select site, count(*) as stories
    from site_stories
    group by site
),

pairs as (
    select
        x.site as site_a,
        y.site as site_b,
        count(*) as shared_stories,
        count(*) filter (where x.published < y.published) as a_first,
        count(*) filter (where y.published < x.published) as b_first
    from site_stories as x
    inner join site_stories as y on x.cluster_id = y.cluster_id and x.site < y.site
    group by 1, 2
),

final as (
    select
        p.site_a,
        p.site_b,
        p.shared_stories,
        p.a_first,
        p.b_first,
        ta.stories as stories_a,
        tb.stories as stories_b,
        round(p.shared_stories / (ta.stories + tb.stories - p.shared_stories), 3) as overlap
    from pairs as p
    inner join site_totals as ta on p.site_a = ta.site
    inner join site_totals as tb on p.site_b = tb.site
    order by p.shared_stories desc, overlap desc, p.site_a, p.site_b
)

select * from final;
