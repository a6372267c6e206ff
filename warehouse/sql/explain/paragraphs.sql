-- the stored paragraphs of one document ($doc) with where each came from
select article_id, position, text, line_first, line_last, block
from paragraphs
where doc_id = $doc
order by article_id, position;
