-- One chunk of the unclustered articles (seq from getvariable('chunk_first') to getvariable('chunk_last')) with
-- their sites and bodies, read once for the chunk's template (08_template.sql) and its sketches.
create or replace temp table chunk_bodies as
select u.seq, u.article_id, u.site, u.first_seen, a.body
from unclustered as u
inner join articles as a on u.article_id = a.article_id
where u.seq between getvariable('chunk_first') and getvariable('chunk_last');
