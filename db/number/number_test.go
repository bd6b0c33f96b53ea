package number

import (
	"math"
	"testing"
)

func TestFormat(t *testing.T) {
	for f, want := range map[float64]string{
		0: "0", 7: "7", 999: "999", 1000: "1,000", 150000: "150,000", 1234567: "1,234,567",
		-1200: "-1,200", 3.5: "3.5", 0.25: "0.25", 1e15: "1000000000000000", math.Inf(1): "+Inf",
	} {
		if got := Format(f); got != want {
			t.Errorf("Format(%v) = %q, want %q", f, got, want)
		}
	}
	if got := Int(10000); got != "10,000" {
		t.Errorf("Int(10000) = %q", got)
	}
}

// TestFormatAllocatesOnce: the buffer is sized for the digits, the commas
// and a sign, so the only other allocation is the string.
func TestFormatAllocatesOnce(t *testing.T) {
	for _, f := range []float64{-1234567, 1234567, -999, 1000} {
		if n := testing.AllocsPerRun(10, func() { Format(f) }); n > 2 {
			t.Errorf("Format(%v) allocates %v times, want at most 2", f, n)
		}
	}
}
