-- The articles not clustered yet, in the order they were first seen (the order they join clusters in).
select article_id, first_seen from unclustered order by first_seen, article_id;
