package mention

import (
	"reflect"
	"testing"
)

func TestFind(t *testing.T) {
	for _, c := range []struct {
		in   string
		want []Mention
	}{
		{"no mention, an@example.org", nil},
		{"Ask @[Ana Lima] about it", []Mention{{Name: "Ana Lima", Start: 4, End: 15}}},
		{"@[Ana   Lima#12], @[Bo]", []Mention{{Name: "Ana Lima", ID: 12, Start: 0, End: 16}, {Name: "Bo", Start: 18, End: 23}}},
		{"`@[Ana]` in code", nil},
		{"```\n@[Ana]\n```\nthen @[Bo]", []Mention{{Name: "Bo", Start: 20, End: 25}}},
		{"para\n\n    @[Ana] indented code", nil},
		{"@[] @[  ] @[a\nb] @[x]]", []Mention{{Name: "x", Start: 17, End: 21}}},
	} {
		if got := Find(c.in); !reflect.DeepEqual(got, c.want) {
			t.Errorf("Find(%q) = %+v, want %+v", c.in, got, c.want)
		}
	}
}

func TestRewrite(t *testing.T) {
	in := "Hi @[Ana], and @[Bo#3]."
	got := Rewrite(in, Find(in), func(m Mention) string { return "<" + m.Name + ">" })
	if got != "Hi <Ana>, and <Bo>." {
		t.Errorf("Rewrite = %q", got)
	}
}

func FuzzFind(f *testing.F) {
	f.Add("@[Ana Lima#12] `@[x]`\n\n    @[y]")
	f.Fuzz(func(t *testing.T, s string) {
		for _, m := range Find(s) {
			if m.Start < 0 || m.End > len(s) || m.Start >= m.End || s[m.Start] != '@' {
				t.Fatalf("bad span %+v in %q", m, s)
			}
		}
	})
}
