package views

import "testing"

func TestLayoutFigureChart(t *testing.T) {
	t.Run("LinearFromZero", func(t *testing.T) {
		c := LayoutFigureChart(FigureChart{Rows: []FigureRow{{Low: 150000, High: 300000}, {Low: 50000, High: 50000}}})
		if c.Log {
			t.Error("a spread of 6x drawn on a log axis")
		}
		if r := c.Rows[0]; r.X1 >= r.X2 || r.X2 > chartRight {
			t.Errorf("range bar %d-%d", r.X1, r.X2)
		}
		if r := c.Rows[1]; !r.Single || r.X2-r.X1 != minBarWidth {
			t.Errorf("single value bar %d-%d", r.X1, r.X2)
		}
		if c.Ticks[0].Label != "0" || c.Ticks[len(c.Ticks)-1].Label != "300,000" {
			t.Errorf("ticks %+v", c.Ticks)
		}
		if c.Rows[0].BarY >= c.Rows[1].LabelY || c.AxisY <= c.Rows[1].BarY || c.Height <= c.AxisY {
			t.Errorf("rows overlap: %+v", c)
		}
	})
	t.Run("LogWhenHuge", func(t *testing.T) {
		c := LayoutFigureChart(FigureChart{Rows: []FigureRow{{Low: 468, High: 468}, {Low: 50000, High: 300000}}})
		if !c.Log || c.Ticks[0].Label != "100" || c.Ticks[len(c.Ticks)-1].Label != "1,000,000" {
			t.Errorf("log %v ticks %+v", c.Log, c.Ticks)
		}
	})
}
