package searchquery

import (
	"strconv"
	"strings"
)

// PostgreSQL holds an item's index as one tsvector (Doc) and runs a search
// as one tsquery (TSQuery), so that a GIN index answers the whole query,
// filters included. The three kinds of lexeme in a Doc are kept apart by
// a mark no token holds (tokens are letters, digits and marks only):
// words as written are bare, stems start with "~", keys with "#". Words
// and stems share positions, as the FTS5 columns do, so a phrase of stems
// and a phrase of words match alike.
const (
	stemMark = "~"
	keyMark  = "#"
)

// PostgreSQL's limits on a tsvector: positions above maxPosition are
// stored as maxPosition, a lexeme keeps at most maxPositions of them, and
// a lexeme is at most maxLexeme bytes.
const (
	maxPosition  = 16383
	maxPositions = 256
	maxLexeme    = 2046
)

// Field is one field of an item for Doc: its text, and the weight of its
// words in ranking ('A' to 'D'; 0 is 'D', PostgreSQL's default).
type Field struct {
	Text   string
	Weight byte
}

// Doc returns the tsvector literal of an item's fields and keys, and the
// words as written that it holds (for the table of words). Fields are a
// position apart, so that no phrase runs from one into the next. Phrases
// past PostgreSQL's last position (16,383 words into an item) cannot be
// told apart from their neighbours; words there are still found.
func Doc(fields []Field, keys []string) (doc string, words []string) {
	positions := map[string][]string{}
	var order []string
	add := func(lexeme, pos string) {
		if len(lexeme) > maxLexeme {
			return
		}
		ps, seen := positions[lexeme]
		if !seen {
			order = append(order, lexeme)
		}
		if len(ps) < maxPositions && (len(ps) == 0 || ps[len(ps)-1] != pos) {
			positions[lexeme] = append(ps, pos)
		}
	}
	pos := 0
	for _, f := range fields {
		if pos > 0 {
			pos++ // the gap between fields
		}
		weight := ""
		if f.Weight != 0 && f.Weight != 'D' {
			weight = string(f.Weight)
		}
		eachToken(f.Text, true, func(t Token) bool {
			pos++
			p := strconv.Itoa(min(pos, maxPosition)) + weight
			if _, seen := positions[t.Word]; !seen {
				words = append(words, t.Word)
			}
			add(t.Word, p)
			add(stemMark+t.Stem, p)
			return true
		})
	}
	var b strings.Builder
	for _, lx := range order {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(lexeme(lx))
		b.WriteByte(':')
		b.WriteString(strings.Join(positions[lx], ","))
	}
	for _, k := range keys {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(lexeme(keyMark + k))
	}
	return b.String(), words
}

// lexeme quotes a lexeme for a tsvector or tsquery literal.
func lexeme(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `''`).Replace(s) + "'"
}

// TSQuery renders the query as a tsquery literal for Docs, with the keys
// of must required too, or "" when Empty and no keys are required. With
// boost, each stemmed word also matches as written, for ts_rank to rank
// exact forms higher; it matches nothing more. Every lexeme is quoted, so
// no input can use tsquery's syntax.
func (q Query) TSQuery(boost bool, must ...string) string {
	var conds []string
	for _, g := range q.groups {
		conds = append(conds, tsAlternatives(g, boost))
	}
	for _, t := range q.tags {
		must = append(must, TagKey(t))
	}
	for _, k := range must {
		conds = append(conds, lexeme(keyMark+k))
	}
	if len(q.kinds) > 0 {
		var ks []string
		for _, k := range q.kinds {
			ks = append(ks, lexeme(keyMark+KindKey(k)))
		}
		conds = append(conds, "( "+strings.Join(ks, " | ")+" )")
	}
	if len(conds) == 0 {
		return ""
	}
	expr := strings.Join(conds, " & ")
	var not []string
	if len(q.not) > 0 {
		not = append(not, tsAlternatives(q.not, false))
	}
	for _, t := range q.notTags {
		not = append(not, lexeme(keyMark+TagKey(t)))
	}
	if len(not) > 0 {
		expr = "( " + expr + " ) & !( " + strings.Join(not, " | ") + " )"
	}
	return expr
}

// TSQuery renders one term as a tsquery of its own.
func (t Term) TSQuery() string { return tsAlternatives([]Term{t}, false) }

func tsAlternatives(terms []Term, boost bool) string {
	var alts []string
	for _, t := range terms {
		toks := t.Tokens()
		words, stems := make([]string, len(toks)), make([]string, len(toks))
		for i, tk := range toks {
			words[i], stems[i] = lexeme(tk.Word), lexeme(stemMark+tk.Stem)
		}
		if t.Prefix {
			words[len(words)-1] += ":*"
		}
		exact := strings.Join(words, " <-> ")
		stemmed := strings.Join(stems, " <-> ")
		switch {
		case t.Exact():
			alts = append(alts, exact)
		case boost:
			alts = append(alts, stemmed, exact)
		default:
			alts = append(alts, stemmed)
		}
	}
	return "( " + strings.Join(alts, " | ") + " )"
}
