package searchquery

import (
	"strings"
	"testing"
)

func TestDoc(t *testing.T) {
	doc, words := Doc([]Field{{Text: "Refugees' Return", Weight: 'A'}, {Text: "refugees fled 北朝鲜"}}, []string{KindKey("article"), TagKey("numbers")})
	want := `'refugees':1A,4 '~refuge':1A,4 'return':2A '~return':2A 'fled':5 '~fled':5 '北朝':6 '~北朝':6 '朝鲜':7 '~朝鲜':7 '#karticle' '#tag6e756d62657273'`
	if doc != want {
		t.Errorf("Doc:\n got %s\nwant %s", doc, want)
	}
	if got := strings.Join(words, " "); got != "refugees return fled 北朝 朝鲜" {
		t.Errorf("words: %s", got)
	}
	// PostgreSQL's limits: positions stop at 16,383, a lexeme keeps 256.
	doc, _ = Doc([]Field{{Text: strings.Repeat("aid ", 20000)}}, nil)
	if n := strings.Count(doc, ","); n != 2*(maxPositions-1) {
		t.Errorf("%d positions in all for a word 20,000 times", n+2)
	}
	doc, _ = Doc([]Field{{Text: strings.Repeat("w ", 16383) + "last"}}, nil)
	if !strings.Contains(doc, "'last':16383") {
		t.Errorf("the word past the last position: %s", doc[len(doc)-40:])
	}
}

func TestTSQuery(t *testing.T) {
	for _, c := range []struct {
		in    string
		boost bool
		must  []string
		want  string
	}{
		{"refugees", false, nil, `( '~refuge' )`},
		{"refugees", true, nil, `( '~refuge' | 'refugees' )`},
		{`"north korean" OR deport*`, false, nil, `( 'north' <-> 'korean' | 'deport':* )`},
		{`refugees -china`, false, nil, `( ( '~refuge' ) ) & !( ( '~china' ) )`},
		{`tag:numbers kind:figure kind:quote`, false, nil, `'#tag6e756d62657273' & ( '#kfigure' | '#kquote' )`},
		{`aid -tag:x`, false, []string{GroupKey(7)}, `( ( '~aid' ) & '#g7' ) & !( '#tag78' )`},
		{`难民`, false, nil, `( '~难民' )`},
		{`it's`, false, nil, `( '~it' <-> '~s' )`},
		{"-only", false, nil, ""},
	} {
		if got := Parse(c.in).TSQuery(c.boost, c.must...); got != c.want {
			t.Errorf("%q: got %s\nwant %s", c.in, got, c.want)
		}
	}
}
