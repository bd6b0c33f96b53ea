package views

import "testing"

func TestLayoutFigureChart(t *testing.T) {
	t.Run("LinearFromZero", func(t *testing.T) {
		c := LayoutFigureChart(FigureChart{Rows: []FigureRow{{Low: 150000, High: 300000}, {Low: 50000, High: 50000}, {Low: 300000, High: 300000}}})
		if c.Log {
			t.Error("a spread of 6x drawn on a log axis")
		}
		if r := c.Rows[0]; r.Single || r.X1 >= r.X2 || r.X2 > chartRight {
			t.Errorf("range bar %v-%v", r.X1, r.X2)
		}
		if r := c.Rows[1]; !r.Single || r.X1 <= chartLeft || r.X1 >= c.Rows[0].X1 {
			t.Errorf("single value at %v", r.X1)
		}
		if r := c.Rows[2]; r.X1 != chartRight {
			t.Errorf("the largest value at %v%%, want the end of the axis", r.X1)
		}
		if c.Ticks[0].Label != "0" || c.Ticks[len(c.Ticks)-1].Label != "300,000" {
			t.Errorf("ticks %+v", c.Ticks)
		}
		first, last := c.Ticks[0], c.Ticks[len(c.Ticks)-1]
		if first.Anchor != "start" || last.Anchor != "end" || last.Odd {
			t.Errorf("the axis's ends: %+v %+v", first, last)
		}
	})
	t.Run("NarrowRangeStillABar", func(t *testing.T) {
		c := LayoutFigureChart(FigureChart{Rows: []FigureRow{{Low: 100000, High: 100001}}})
		if r := c.Rows[0]; r.Single || r.X2-r.X1 < minBarWidth-1e-9 {
			t.Errorf("bar %v-%v", r.X1, r.X2)
		}
	})
	t.Run("LogWhenHuge", func(t *testing.T) {
		c := LayoutFigureChart(FigureChart{Rows: []FigureRow{{Low: 468, High: 468}, {Low: 50000, High: 300000}}})
		if !c.Log || c.Ticks[0].Label != "100" || c.Ticks[len(c.Ticks)-1].Label != "1,000,000" {
			t.Errorf("log %v ticks %+v", c.Log, c.Ticks)
		}
	})
	t.Run("WindowKeepsTheAxis", func(t *testing.T) {
		c := LayoutFigureChart(FigureChart{Rows: []FigureRow{{Low: 1, High: 1}, {Low: 2, High: 2}, {Low: 10, High: 10}}})
		w := c.Window(2, 3)
		if len(w.Rows) != 1 || w.First != 3 || w.Rows[0].X1 != c.Rows[2].X1 || len(w.Ticks) != len(c.Ticks) {
			t.Errorf("window %+v", w)
		}
	})
}
