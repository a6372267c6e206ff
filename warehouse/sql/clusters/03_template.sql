-- The articles not clustered yet, and the template of their sites: the paragraphs (blank-line separated) found
-- word for word (case and surrounding spaces aside) in at least getvariable('template_min_articles') loaded
-- articles of the same site (else domain). Counted by hash first, so only the few template texts are kept.
create or replace temp table unclustered as
select a.article_id, coalesce(a.site, a.domain) as site, d.ingested_at as first_seen
from articles as a
inner join documents as d on a.doc_id = d.doc_id
anti join story_clusters as c on a.article_id = c.article_id;

create or replace temp view site_paragraphs as
with split as (
    select
        coalesce(a.site, a.domain) as site,
        a.article_id,
        unnest(string_split(a.body, chr(10) || chr(10))) as paragraph
    from articles as a
    where coalesce(a.site, a.domain) in (select site from unclustered)
)

select site, article_id, lower(trim(paragraph, ' ' || chr(9) || chr(13) || chr(10))) as norm
from split;

create or replace temp table template_hashes as
select site, md5_number(norm) as hash
from site_paragraphs
group by 1, 2
having count(distinct article_id) >= getvariable('template_min_articles');

create or replace temp table site_template as
select distinct p.site, p.norm
from site_paragraphs as p
semi join template_hashes as t on p.site = t.site and md5_number(p.norm) = t.hash;
