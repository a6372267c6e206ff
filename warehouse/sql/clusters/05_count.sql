-- One chunk of the uncounted articles (seq from getvariable('chunk_first') to getvariable('chunk_last')): the
-- hashes of its distinct paragraphs (blank-line separated, lower-cased, without surrounding spaces) are kept
-- per article and added to the counts per site (else domain).
create or replace temp table chunk_paragraphs as
with split as (
    select
        u.article_id,
        u.site,
        unnest(string_split(a.body, chr(10) || chr(10))) as paragraph
    from uncounted as u
    inner join articles as a on u.article_id = a.article_id
    where u.seq between getvariable('chunk_first') and getvariable('chunk_last')
),

final as (
    select distinct
        article_id,
        site,
        md5_number_lower(lower(trim(paragraph, ' ' || chr(9) || chr(13) || chr(10)))) as hash
    from split
)

select * from final;

insert into story_paragraph_hashes by name
select article_id, any_value(site) as site, list(hash order by hash) as hashes
from chunk_paragraphs
group by article_id;

create or replace temp table chunk_counts as
select site, hash, count(*) as articles
from chunk_paragraphs
where site is not null
group by site, hash;

update story_paragraph_counts as c set articles = c.articles + n.articles
from chunk_counts as n
where c.site = n.site and c.hash = n.hash;

insert into story_paragraph_counts by name
select n.site, n.hash, n.articles
from chunk_counts as n
anti join story_paragraph_counts as c on n.site = c.site and n.hash = c.hash;
