package evidence

import "testing"

func TestSummary(t *testing.T) {
	cases := []struct {
		name   string
		f      Fields
		detail string
		sum    string
	}{
		{"range with all fields", Fields{Kind: "figure", HasValue: true, Low: 150000, High: 300000, Unit: "people", Counted: "North Koreans in China", Entity: "International aid groups", RefDate: "2001"},
			"150,000–300,000 people (North Koreans in China) · International aid groups · 2001",
			"Figure: 150,000–300,000 people (North Koreans in China) · International aid groups · 2001"},
		{"one value, month", Fields{Kind: "figure", HasValue: true, Low: 7800, High: 7800, Unit: "people", RefDate: "2003-05"},
			"7,800 people · May 2003", "Figure: 7,800 people · May 2003"},
		{"percent", Fields{Kind: "figure", HasValue: true, Low: 62, High: 62, Unit: "percent", Counted: "children stunted"},
			"62 percent (children stunted)", "Figure: 62 percent (children stunted)"},
		{"quote", Fields{Kind: "quote", Entity: "Hazel Smith"}, "said by Hazel Smith", "Quote: said by Hazel Smith"},
		{"entity", Fields{Kind: "entity", Entity: "UNHCR"}, "UNHCR", "Mention: UNHCR"},
		{"event day and place", Fields{Kind: "event", DateFrom: "2001-06-26", Place: "Beijing"}, "26 June 2001 · Beijing", "Event: 26 June 2001 · Beijing"},
		{"event years", Fields{Kind: "event", DateFrom: "1997", DateTo: "1998"}, "1997–1998", "Event: 1997–1998"},
		{"event days", Fields{Kind: "event", DateFrom: "2004-07-26", DateTo: "2004-07-30"}, "26 July 2004 – 30 July 2004", "Event: 26 July 2004 – 30 July 2004"},
		{"event same day twice", Fields{Kind: "event", DateFrom: "2001", DateTo: "2001"}, "2001", "Event: 2001"},
		{"comment", Fields{Kind: "comment"}, "", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := Detail(c.f); got != c.detail {
				t.Errorf("Detail = %q, want %q", got, c.detail)
			}
			if got := Summary(c.f); got != c.sum {
				t.Errorf("Summary = %q, want %q", got, c.sum)
			}
		})
	}
}
