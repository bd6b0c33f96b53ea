package searchquery

import "testing"

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
