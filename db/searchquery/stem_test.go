package searchquery

import (
	"strings"
	"testing"
)

func TestStem(t *testing.T) {
	// Porter's own examples, and the issue's.
	for in, want := range map[string]string{
		"caresses": "caress", "ponies": "poni", "ties": "ti", "caress": "caress", "cats": "cat",
		"feed": "feed", "agreed": "agre", "plastered": "plaster", "bled": "bled", "motoring": "motor", "sing": "sing",
		"conflated": "conflat", "troubled": "troubl", "sized": "size", "hopping": "hop", "tanned": "tan",
		"falling": "fall", "hissing": "hiss", "fizzed": "fizz", "failing": "fail", "filing": "file",
		"happy": "happi", "sky": "sky",
		"relational": "relat", "conditional": "condit", "rational": "ration", "valenci": "valenc",
		"digitizer": "digit", "conformabli": "conform", "radicalli": "radic", "differentli": "differ",
		"vileli": "vile", "analogousli": "analog", "vietnamization": "vietnam", "predication": "predic",
		"operator": "oper", "feudalism": "feudal", "decisiveness": "decis", "hopefulness": "hope",
		"callousness": "callous", "formaliti": "formal", "sensitiviti": "sensit", "sensibiliti": "sensibl",
		"triplicate": "triplic", "formative": "form", "formalize": "formal", "electriciti": "electr",
		"electrical": "electr", "hopeful": "hope", "goodness": "good",
		"revival": "reviv", "allowance": "allow", "inference": "infer", "airliner": "airlin",
		"gyroscopic": "gyroscop", "adjustable": "adjust", "defensible": "defens", "irritant": "irrit",
		"replacement": "replac", "adjustment": "adjust", "dependent": "depend", "adoption": "adopt",
		"homologou": "homolog", "communism": "commun", "activate": "activ", "angulariti": "angular",
		"homologous": "homolog", "effective": "effect", "bowdlerize": "bowdler",
		"probate": "probat", "rate": "rate", "cease": "ceas", "controll": "control", "roll": "roll",
		"refugee": "refuge", "refugees": "refuge", "deport": "deport", "deported": "deport",
		"deportation": "deport", "deportations": "deport", "repatriate": "repatri", "repatriation": "repatri",
		"a": "a", "is": "is", "1990s": "1990", "straße": "straße",
	} {
		if got := Stem(in); got != want {
			t.Errorf("Stem(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestTokens(t *testing.T) {
	for _, tc := range []struct {
		text, words, stems string
	}{
		{"North Korean REFUGEES were deported.", "north korean refugees were deported", "north korean refuge were deport"},
		{"Pyo\u0308ngyang's border", "pyongyang s border", "pyongyang s border"},
		{"탈북자들은 중국에 숨어 산다", "탈북 북자 자들 들은 중국 국에 숨어 산다", "탈북 북자 자들 들은 중국 국에 숨어 산다"},
		{"北朝鲜难民在中国。中", "北朝 朝鲜 鲜难 难民 民在 在中 中国 中", "北朝 朝鲜 鲜难 难民 民在 在中 中国 中"},
		{"iPhone手机 and 難民problems", "iphone 手机 and 難民 problems", "iphon 手机 and 難民 problem"},
		{"コーヒー", "コー ーヒ ヒー", "コー ーヒ ヒー"},
		{"", "", ""},
	} {
		w, s := IndexText(tc.text)
		if w != tc.words || s != tc.stems {
			t.Errorf("IndexText(%q) = %q, %q; want %q, %q", tc.text, w, s, tc.words, tc.stems)
		}
	}
	// Spans are code points of the text, CJK pairs overlapping.
	toks := Tokens("a 难民在")
	if len(toks) != 3 || toks[1] != (Token{Start: 2, End: 4, Word: "难民", Stem: "难民", CJK: true}) || toks[2].Start != 3 || toks[2].End != 5 {
		t.Errorf("tokens %+v", toks)
	}
}

// TestStemVocabulary: a run of Porter's published sample vocabulary
// (tartarus.org/martin/PorterStemmer, voc.txt and output.txt), and words
// whose stem turns on one condition of the algorithm. Every stem here is
// also what SQLite FTS5's porter tokenizer gives.
func TestStemVocabulary(t *testing.T) {
	for _, c := range []struct{ why, words string }{
		{"sample", "consign:consign consigned:consign consigning:consign consignment:consign consist:consist " +
			"consisted:consist consistency:consist consistent:consist consistently:consist consisting:consist " +
			"consists:consist consolation:consol consolations:consol consolatory:consolatori console:consol " +
			"consoled:consol consoles:consol consolidate:consolid consolidated:consolid consolidating:consolid " +
			"consoling:consol consolingly:consolingli consols:consol consonant:conson consort:consort " +
			"consorted:consort consorting:consort conspicuous:conspicu conspicuously:conspicu " +
			"conspiracy:conspiraci conspirator:conspir conspirators:conspir conspire:conspir conspired:conspir " +
			"conspiring:conspir constable:constabl constables:constabl constance:constanc constancy:constanc " +
			"constant:constant knack:knack knackeries:knackeri knacks:knack knag:knag knave:knave knaves:knave " +
			"knavish:knavish kneaded:knead kneading:knead knee:knee kneel:kneel kneeled:kneel kneeling:kneel " +
			"kneels:kneel knees:knee knell:knell knelt:knelt knew:knew knick:knick knif:knif knife:knife " +
			"knight:knight knightly:knightli knights:knight knit:knit knits:knit knitted:knit knitting:knit " +
			"knives:knive knob:knob knobs:knob knock:knock knocked:knock knocker:knocker knockers:knocker " +
			"knocking:knock knocks:knock knopp:knopp knot:knot knots:knot " +
			"generalization:gener generalizations:gener oscillators:oscil"},
		// y is a vowel after a consonant, a consonant first or after a vowel.
		{"y", "dying:dy crying:cry flying:fly olympic:olymp physically:physic you:you eye:ey " +
			"employment:employ saying:sai playing:plai enjoyed:enjoi toying:toi yearly:yearli yellow:yellow syzygy:syzygi"},
		// m counts the vowel-consonant sequences of the stem alone, not
		// those the suffix goes on to make.
		{"measure", "agreement:agreement alliance:allianc crucial:crucial receive:receiv situation:situat " +
			"special:special denial:denial variance:varianc"},
		// *o, the stem ends consonant-vowel-consonant, the last not w, x or y:
		// -ed and -ing then leave an e.
		{"cvc", "drawing:draw growing:grow showing:show snowing:snow faxed:fax boxed:box fixing:fix " +
			"considering:consid unregistered:unregist"},
		// -ion goes only after s or t.
		{"ion", "decision:decis permission:permiss invasions:invas expansion:expans opinion:opinion"},
		// -ll becomes -l, no other final double letter.
		{"ll", "difficult:difficult family:famili result:result themselves:themselv involvement:involv"},
	} {
		for _, pair := range strings.Fields(c.words) {
			in, want, _ := strings.Cut(pair, ":")
			if got := Stem(in); got != want {
				t.Errorf("%s: Stem(%q) = %q, want %q", c.why, in, got, want)
			}
		}
	}
	// Words of up to 64 bytes are stemmed, longer ones kept (as SQLite's
	// porter tokenizer does).
	if w := strings.Repeat("a", 56) + "deported"; Stem(w) != w[:62] {
		t.Errorf("Stem of 64 bytes = %q, want %q", Stem(w), w[:62])
	}
	if w := strings.Repeat("a", 57) + "deported"; Stem(w) != w {
		t.Errorf("Stem of 65 bytes = %q, want it whole", Stem(w))
	}
}
