// Package number writes numbers for people, one way everywhere: figures in
// the evidence views, their validation messages, counts and chart ticks.
package number

import (
	"math"
	"strconv"
)

// Format writes whole numbers with thousands separators (150,000; -1,200)
// and others as short as they round-trip (3.5).
func Format(f float64) string {
	if f != math.Trunc(f) || math.Abs(f) >= 1e15 {
		return strconv.FormatFloat(f, 'f', -1, 64)
	}
	s := strconv.FormatInt(int64(math.Abs(f)), 10)
	out := make([]byte, 0, len(s)+len(s)/3+1)
	if f < 0 {
		out = append(out, '-')
	}
	for i := 0; i < len(s); i++ {
		if i > 0 && (len(s)-i)%3 == 0 {
			out = append(out, ',')
		}
		out = append(out, s[i])
	}
	return string(out)
}

// Int is Format for counts.
func Int(n int) string { return Format(float64(n)) }
