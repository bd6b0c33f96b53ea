package suggest

import (
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

func only(kind string, all []Suggestion) []Suggestion {
	var out []Suggestion
	for _, s := range all {
		if s.Kind == kind {
			out = append(out, s)
		}
	}
	return out
}

func TestFigures(t *testing.T) {
	type want struct {
		text      string
		low, high float64
		unit      string
		counted   string
	}
	cases := []struct {
		name, in string
		want     []want
	}{
		{"range between", "Between 50,000 and 300,000 North Koreans seek refuge in China every year.",
			[]want{{"Between 50,000 and 300,000 North Koreans", 50000, 300000, "people per year", "North Koreans"}}},
		{"as many as", "But aid workers estimate that as many as 100,000 North Koreans are still hiding inside China.",
			[]want{{"as many as 100,000 North Koreans", 100000, 100000, "people", "North Koreans"}}},
		{"magnitude", "Hundreds of thousands of North Koreans are seeking asylum.",
			[]want{{"Hundreds of thousands of North Koreans", 1e5, 1e6, "people", "North Koreans"}}},
		{"tens of thousands with a place", "It worsened the plight of tens of thousands of North Korean refugees in China by helping.",
			[]want{{"tens of thousands of North Korean refugees in China", 1e4, 1e5, "people", "North Korean refugees in China"}}},
		{"from and (sic)", "Aid groups estimate that from 150,000 and 300,000 North Korean refugees are hiding.",
			[]want{{"from 150,000 and 300,000 North Korean refugees", 150000, 300000, "people", "North Korean refugees"}}},
		{"hyphen range", "Estimates of 50,000-300,000 people circulate.",
			[]want{{"50,000-300,000 people", 50000, 300000, "people", "people"}}},
		{"scale word", "As many as three million have died.", []want{{"As many as three million", 3e6, 3e6, "", ""}}},
		{"decimal scale", "Some 3.5 million people voted.", []want{{"Some 3.5 million people", 3.5e6, 3.5e6, "people", "people"}}},
		{"percent of", "Nearly 50 percent of the local officials are ethnic Koreans.",
			[]want{{"Nearly 50 percent of the local officials", 50, 50, "percent", "local officials"}}},
		{"half of", "About half of the defectors escaped.", []want{{"About half of the defectors", 50, 50, "percent", "defectors"}}},
		{"a quarter of", "A petition signed by a quarter of the voters.", []want{{"a quarter of the voters", 25, 25, "percent", "voters"}}},
		{"dollars", "The agency has asked donors for $14 million.", []want{{"$14 million", 14e6, 14e6, "dollars", ""}}},
		{"family of seven", "The family of seven said in a statement that they would stay.", []want{{"family of seven", 7, 7, "people", "family"}}},
		{"number of", "The number of North Korean escapees to China varies from 50,000 to 300,000 according to estimates.",
			[]want{{"from 50,000 to 300,000", 50000, 300000, "people", "North Korean escapees to China"}}},
		{"bare large number", "The death toll rose to 1,234 on Monday.", []want{{"1,234", 1234, 1234, "", ""}}},
		{"rate", "Nearly 2,000 workers leave each month.", []want{{"Nearly 2,000 workers", 2000, 2000, "people per month", "workers"}}},
		{"dozens", "Dozens of his neighbours have left.", []want{{"Dozens of his neighbours", 24, 100, "people", "neighbours"}}},
		{"things counted", "There were two tortures for each victim.", []want{{"two tortures", 2, 2, "tortures", "tortures"}}},
		{"duration", "They stay for two to three years, or four to six months, or a minimum seven years.", nil},
		{"age", "The seven, ranging in age from 15 to 69, and a 23-year-old man.", nil},
		{"years and dates", "In 1999 and on June 26, 2001, and in the 1990s.", nil},
		{"identifier", "Under Article 47 of the code.", nil},
		{"bare small number", "The seven were sent to a prison; children under 7 suffer.", nil},
		{"one is a determiner", "One aid worker said one member went.", nil},
		{"ordinal", "They waited in a third country.", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := only(KindFigure, Extract(c.in, Options{Published: "2004-07-30"}))
			if len(got) != len(c.want) {
				t.Fatalf("got %d figures %+v, want %d", len(got), got, len(c.want))
			}
			for i, w := range c.want {
				g := got[i]
				if g.Text != w.text || g.Low != w.low || g.High != w.high || g.Unit != w.unit || g.Counted != w.counted {
					t.Errorf("got %q %v-%v %q %q, want %q %v-%v %q %q", g.Text, g.Low, g.High, g.Unit, g.Counted, w.text, w.low, w.high, w.unit, w.counted)
				}
			}
		})
	}
}

func TestQuotes(t *testing.T) {
	type want struct{ text, speaker string }
	cases := []struct {
		name, in string
		want     []want
	}{
		{"said X after", `'This sort of action is a last resort for NGOs,' said Kang Yeo-kyong, of the aid agency Good Friends.`,
			[]want{{"This sort of action is a last resort for NGOs,", "Kang Yeo-kyong"}}},
		{"X said after, surname", "Lee Woo-young spoke first.\n\n\"Not all of them wish to settle in the South,\" Lee said.",
			[]want{{"Not all of them wish to settle in the South,", "Lee Woo-young"}}},
		{"pronoun", "Kathleen Newland studies migration.\n\n\"Going across the border is part of the survival strategies,\" she said.",
			[]want{{"Going across the border is part of the survival strategies,", "Kathleen Newland"}}},
		{"continuation paragraph", "\"Any fundamental solution seems elusive,\" said professor Lee Woo-young.\n\n\"South Korea should keep requesting China to stop.\"",
			[]want{{"Any fundamental solution seems elusive,", "Lee Woo-young"}, {"South Korea should keep requesting China to stop.", "Lee Woo-young"}}},
		{"attribution before", `As one civic activist points out, "Apart from efforts to secure their safety, the government must act."`,
			[]want{{"Apart from efforts to secure their safety, the government must act.", "one civic activist"}}},
		{"said that", "The minister said that the talks had failed.", []want{{"the talks had failed", "minister"}}},
		{"said in May that", "The U.S. Committee for Refugees estimated in May that Chinese authorities repatriated some 7,800 defectors.",
			[]want{{"Chinese authorities repatriated some 7,800 defectors", "U.S. Committee for Refugees"}}},
		{"according to first", "According to Dr Jane Roe, of Warwick University, the policy failed badly.",
			[]want{{"the policy failed badly", "Jane Roe"}}},
		{"according to last", "The policy failed badly, according to aid workers.", []want{{"The policy failed badly", "aid workers"}}},
		{"according to estimates by", "The number varies from 50,000 to 300,000 according to estimates by civic groups.",
			[]want{{"The number varies from 50,000 to 300,000", "civic groups"}}},
		{"verb last", "Defectors were fighting each other in the camps, government sources said.",
			[]want{{"Defectors were fighting each other in the camps", "government sources"}}},
		{"saying", "Some aid groups have criticized the tactics, saying such publicity is prompting a crackdown.",
			[]want{{"such publicity is prompting a crackdown", "Some aid groups"}}},
		{"appositive", "But Gordon Flake, executive director of the Mansfield Center, said some groups want more.",
			[]want{{"some groups want more", "Gordon Flake"}}},
		{"denied", "On June 26, spokesperson Zhang Qiyue denied that they were refugees.", []want{{"they were refugees", "Zhang Qiyue"}}},
		{"scare quotes", `Their transport was conducted in a "hush-hush" manner, for "humanitarian reasons."`, nil},
		{"not speech", "China watchers believe that world opinion matters. The United States helped. He was described as a hero.", nil},
		{"gerund", "A campaign has to start by insisting that Beijing honour its obligations.", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := only(KindQuote, Extract(c.in, Options{Published: "2004-07-30"}))
			if len(got) != len(c.want) {
				t.Fatalf("got %d quotes %+v, want %d", len(got), got, len(c.want))
			}
			for i, w := range c.want {
				if got[i].Text != w.text || got[i].Speaker != w.speaker {
					t.Errorf("got %q by %q, want %q by %q", got[i].Text, got[i].Speaker, w.text, w.speaker)
				}
			}
		})
	}
}

func TestEntities(t *testing.T) {
	type want struct{ text, name, typ string }
	cases := []struct {
		name, in string
		known    []Entity
		want     []want
	}{
		{"person of an organisation, title and surname later",
			"Dr Hazel Smith of Warwick University studied the border. Later Dr Smith wrote again.", nil,
			[]want{{"Hazel Smith", "Hazel Smith", "person"}, {"Warwick University", "Warwick University", "organization"}, {"Dr Smith", "Hazel Smith", "person"}}},
		{"acronym in parentheses and alone",
			"The Japan-based group Rescue the North Korean People (RENK) said so. RENK added more.", nil,
			[]want{{"Rescue the North Korean People", "Rescue the North Korean People", "organization"},
				{"RENK", "Rescue the North Korean People", "organization"}, {"RENK", "Rescue the North Korean People", "organization"}}},
		{"initials spell the acronym",
			"South Korea's National intelligence Service (NIS) said in May that it knew.", nil,
			[]want{{"National intelligence Service", "National intelligence Service", "organization"}, {"NIS", "National intelligence Service", "organization"}}},
		{"known entity and alias first",
			"The UNHCR office stayed closed, and UN High Commissioner for Refugees staff left.",
			[]Entity{{ID: 7, Name: "UN High Commissioner for Refugees", Type: "organization", Aliases: []string{"UNHCR"}}},
			[]want{{"UNHCR", "UN High Commissioner for Refugees", "organization"}, {"UN High Commissioner for Refugees", "UN High Commissioner for Refugees", "organization"}}},
		{"places are not people",
			"PHNOM PENH -- Many fled to Phnom Penh from a farm in Prek Thmei and from South Korea.", nil, nil},
		{"organisation before a noun", "The Bush administration should act, the aid agency Good Friends said.", nil,
			[]want{{"Bush administration", "Bush administration", "organization"}, {"Good Friends", "Good Friends", "organization"}}},
		{"headline skipped", "Desperate N Koreans Seek Asylum In China\n\nby Antoaneta Bezlova", nil,
			[]want{{"Antoaneta Bezlova", "Antoaneta Bezlova", "person"}}},
		{"possessive", "Kim Jong-il's regime, the Citizens` Alliance for Human Rights's view.", nil,
			[]want{{"Kim Jong-il", "Kim Jong-il", "person"}, {"Citizens` Alliance for Human Rights", "Citizens` Alliance for Human Rights", "organization"}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := only(KindEntity, Extract(c.in, Options{Entities: c.known}))
			if len(got) != len(c.want) {
				t.Fatalf("got %d entities %+v, want %d", len(got), got, len(c.want))
			}
			for i, w := range c.want {
				g := got[i]
				if g.Text != w.text || g.Name != w.name || g.EntityType != w.typ {
					t.Errorf("got %q = %q (%s), want %q = %q (%s)", g.Text, g.Name, g.EntityType, w.text, w.name, w.typ)
				}
				if c.known != nil && g.EntityID != 7 {
					t.Errorf("%q: the known entity's id is %d, want 7", g.Text, g.EntityID)
				}
			}
		})
	}
}

func TestEvents(t *testing.T) {
	type want struct{ text, from, to string }
	cases := []struct {
		name, in, pub string
		want          []want
	}{
		{"relative month and year", "Last month they left; last year they stayed.", "2004-07-30",
			[]want{{"Last month", "2004-06", ""}, {"last year", "2003", ""}}},
		{"weekday", "The talks began on Tuesday.", "2004-07-30", []want{{"on Tuesday", "2004-07-27", ""}}},
		{"weekday ahead", "They will meet on Monday.", "2004-07-30", []want{{"on Monday", "2004-08-02", ""}}},
		{"this week", "They arrived this week.", "2004-07-30", []want{{"this week", "2004-07-26", "2004-08-01"}}},
		{"month without year", "It said in May that it knew.", "2004-07-30", []want{{"in May", "2004-05", ""}}},
		{"month ahead", "Work would begin in January.", "2003-11-14", []want{{"in January", "2004-01", ""}}},
		{"month later in the year is last year's", "It happened in September.", "2004-07-30", []want{{"in September", "2003-09", ""}}},
		{"window", "Half escaped in the past five years.", "2001-07-09", []want{{"in the past five years", "1996", "2001"}}},
		{"within the last week", "Within the last week, four entered.", "2002-05-29", []want{{"Within the last week", "2002-05-22", "2002-05-29"}}},
		{"decade", "Since the early 1990s, and during the 1990's.", "2005-04-10",
			[]want{{"Since the early 1990s", "1990", "1993"}, {"during the 1990's", "1990", "1999"}}},
		{"mid-decade", "They came since the mid-1990s.", "2004-07-30", []want{{"since the mid-1990s", "1994", "1996"}}},
		{"year range", "Since the 1950-53 Korean war, and the peak in 1997 and 1998.", "2001-07-09",
			[]want{{"Since the 1950-53", "1950", "1953"}, {"in 1997 and 1998", "1997", "1998"}}},
		{"full dates", "On 10 April, 2005 and on June 26, 2001 and in January 2000.", "2005-06-14",
			[]want{{"On 10 April, 2005", "2005-04-10", ""}, {"on June 26, 2001", "2001-06-26", ""}, {"in January 2000", "2000-01", ""}}},
		{"ago and yesterday", "Two years ago, and yesterday.", "2004-07-30", []want{{"Two years ago", "2002", ""}, {"yesterday", "2004-07-29", ""}}},
		{"mid-month", "The crackdown began in mid-March.", "2002-05-29", []want{{"in mid-March", "2002-03", ""}}},
		{"no date to resolve against", "Last month they left in 1999.", "", []want{{"Last month", "", ""}, {"in 1999", "1999", ""}}},
		{"datelines are not events", "Friday, July 30, 2004\n\nCopyright 2002~2004 Digital Korea Herald. All rights reserved.", "2004-07-30", nil},
		{"vague", "In recent years and in recent weeks, just weeks before, people may come.", "2004-07-30", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := only(KindEvent, Extract(c.in, Options{Published: c.pub}))
			if len(got) != len(c.want) {
				t.Fatalf("got %d events %+v, want %d", len(got), got, len(c.want))
			}
			for i, w := range c.want {
				if got[i].Text != w.text || got[i].DateFrom != w.from || got[i].DateTo != w.to {
					t.Errorf("got %q %s/%s, want %q %s/%s", got[i].Text, got[i].DateFrom, got[i].DateTo, w.text, w.from, w.to)
				}
			}
		})
	}
}

// TestFigureContext: a figure in reported speech gets its speaker as the
// estimator, and the nearest date in its sentence as the date it refers to.
func TestFigureContext(t *testing.T) {
	in := "The U.S. Committee for Refugees estimated in May that Chinese authorities repatriated some 7,800 North Korean defectors last year."
	figs := only(KindFigure, Extract(in, Options{Published: "2004-07-30"}))
	if len(figs) != 1 {
		t.Fatalf("figures: %+v", figs)
	}
	f := figs[0]
	if f.Estimator != "U.S. Committee for Refugees" || f.EntityType != "organization" || f.RefDate != "2003" {
		t.Errorf("estimator %q (%s), ref date %q", f.Estimator, f.EntityType, f.RefDate)
	}
	want := map[string]string{"kind": "figure", "low": "7,800", "unit": "people", "counted": "North Korean defectors",
		"ref_date": "2003", "estimator": "U.S. Committee for Refugees", "estimator_type": "organization"}
	if got := f.Fields(); !reflect.DeepEqual(got, want) {
		t.Errorf("Fields() = %v, want %v", got, want)
	}
}

// TestOffsets: offsets are code points of the NFC text, even before
// characters outside ASCII or in decomposed form.
func TestOffsets(t *testing.T) {
	in := "Les réfugiés — “We ask for help,” said Zoë Ångström. About 5,000 people."
	for _, s := range Extract(in, Options{}) {
		if got := string([]rune(in)[s.Start:s.End]); got != s.Text {
			t.Errorf("%s at %d-%d reads %q, Text says %q", s.Kind, s.Start, s.End, got, s.Text)
		}
	}
	// A decomposed é is read as its NFC form.
	decomposed := strings.ReplaceAll(in, "é", "e\u0301")
	a, b := Extract(in, Options{}), Extract(decomposed, Options{})
	if !reflect.DeepEqual(a, b) {
		t.Errorf("decomposed text gives other suggestions:\n%+v\n%+v", a, b)
	}
}

// FuzzExtract: any text gives suggestions inside it, in order, the same
// each time.
func FuzzExtract(f *testing.F) {
	f.Add("Between 50,000 and 300,000 North Koreans, 'Following these events,' said Hazel Smith in May 1999.", "2004-07-30")
	f.Add("\"unclosed 'quote ( ( according to", "2001")
	f.Add("tens of of thousands - – -- 1950-53 mid- Dr . U.S. (NIS)", "bad")
	f.Fuzz(func(t *testing.T, text, pub string) {
		if !utf8.ValidString(text) {
			return
		}
		got := Extract(text, Options{Published: pub, Entities: []Entity{{ID: 1, Name: "Smith", Type: "person", Aliases: []string{"NIS"}}}})
		runes := []rune(normalizeNFC(text))
		prev := -1
		for _, s := range got {
			if s.Start < 0 || s.End > len(runes) || s.Start >= s.End {
				t.Fatalf("%s at %d-%d in %d code points", s.Kind, s.Start, s.End, len(runes))
			}
			if string(runes[s.Start:s.End]) != s.Text {
				t.Fatalf("%s at %d-%d reads %q, Text says %q", s.Kind, s.Start, s.End, string(runes[s.Start:s.End]), s.Text)
			}
			if s.Start < prev {
				t.Fatalf("not in text order")
			}
			prev = s.Start
			if s.Kind == KindFigure && s.Low > s.High {
				t.Fatalf("figure %q: low %v above high %v", s.Text, s.Low, s.High)
			}
		}
		if again := Extract(text, Options{Published: pub, Entities: []Entity{{ID: 1, Name: "Smith", Type: "person", Aliases: []string{"NIS"}}}}); !reflect.DeepEqual(got, again) {
			t.Fatalf("not deterministic")
		}
	})
}

func TestGuessType(t *testing.T) {
	for name, want := range map[string]string{
		"One aid worker": "person", "an expert on North Korea": "person", "one civic activist": "person",
		"aid workers": "organization", "civic groups": "organization", "One food aid group": "organization",
		"Beijing": "organization", "government sources": "organization", "": "",
	} {
		if got := guessType(name); got != want {
			t.Errorf("guessType(%q) = %q, want %q", name, got, want)
		}
	}
	// The form gets the guess; the suggestion keeps what the text said.
	list := Extract("Aid workers said the crackdown had begun.", Options{})
	for _, s := range list {
		if s.Kind == KindQuote {
			if s.EntityType != "" || s.Fields()["speaker_type"] != "organization" {
				t.Errorf("type %q, the form's %q", s.EntityType, s.Fields()["speaker_type"])
			}
			return
		}
	}
	t.Errorf("no quote in %v", list)
}
