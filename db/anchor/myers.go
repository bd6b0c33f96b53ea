package anchor

// matcher runs Myers' bit-parallel edit-distance algorithm (in Hyyrö's
// multi-block form, as in Robert Knight's approx-string-match) for one
// pattern of runes. A text step costs O(ceil(m/64)) word operations.
type matcher struct {
	alphabet
	m       int
	blocks  int
	lastBit uint64   // the pattern's last row inside the last block
	peq     []uint64 // blocks words per symbol id; id 0 (not in the pattern) stays zero
	pv, mv  []uint64
}

func newMatcher(p []rune) *matcher {
	mt := &matcher{alphabet: newAlphabet(p), m: len(p), blocks: (len(p) + 63) / 64}
	if mt.m == 0 {
		return mt
	}
	mt.lastBit = 1 << uint((len(p)-1)%64)
	mt.peq = make([]uint64, int(mt.size+1)*mt.blocks)
	for i, c := range p {
		mt.peq[int(mt.id(c))*mt.blocks+i/64] |= 1 << uint(i%64)
	}
	mt.pv = make([]uint64, mt.blocks)
	mt.mv = make([]uint64, mt.blocks)
	return mt
}

// alphabet numbers the distinct runes of a pattern 1..size; 0 is any other.
type alphabet struct {
	size  int32
	ascii [128]int32
	other map[rune]int32
}

func newAlphabet(p []rune) alphabet {
	var a alphabet
	for _, c := range p {
		if a.id(c) != 0 {
			continue
		}
		a.size++
		if c >= 0 && c < 128 {
			a.ascii[c] = a.size
		} else {
			if a.other == nil {
				a.other = make(map[rune]int32)
			}
			a.other[c] = a.size
		}
	}
	return a
}

func (a *alphabet) id(c rune) int32 {
	if c >= 0 && c < 128 {
		return a.ascii[c]
	}
	return a.other[c]
}

// scan feeds text (backwards when reverse) and calls visit after each rune
// with i = runes consumed and d = the edit distance between the whole pattern
// and the best text piece ending there. With anchored=false a piece may start
// anywhere (Sellers' search); with anchored=true it must start at the first
// rune fed, so d = distance(pattern, the i runes fed).
func (mt *matcher) scan(text []rune, reverse, anchored bool, visit func(i, d int)) {
	if mt.m == 0 {
		return
	}
	for b := range mt.pv {
		mt.pv[b], mt.mv[b] = ^uint64(0), 0
	}
	hin := 0
	if anchored {
		hin = 1 // top row is 0,1,2,...: each step adds one
	}
	score, last, n := mt.m, mt.blocks-1, len(text)
	if last == 0 { // the common case, kept in registers
		pv, mv := mt.pv[0], mt.mv[0]
		for i := range n {
			c := text[i]
			if reverse {
				c = text[n-1-i]
			}
			score += advance(&pv, &mv, mt.peq[mt.id(c)], hin, mt.lastBit)
			visit(i+1, score)
		}
		return
	}
	for i := range n {
		c := text[i]
		if reverse {
			c = text[n-1-i]
		}
		eq := mt.peq[int(mt.id(c))*mt.blocks:]
		carry := hin
		for b := 0; b < last; b++ {
			carry = advance(&mt.pv[b], &mt.mv[b], eq[b], carry, 1<<63)
		}
		score += advance(&mt.pv[last], &mt.mv[last], eq[last], carry, mt.lastBit)
		visit(i+1, score)
	}
}

// advance moves one 64-row block of the DP one text column on, given the
// horizontal delta hin entering its top row, and returns the delta leaving
// its row lastBit (Myers 1999, "advance_block").
func advance(pv, mv *uint64, eq uint64, hin int, lastBit uint64) int {
	p, m := *pv, *mv
	xv := eq | m
	if hin < 0 {
		eq |= 1
	}
	xh := (((eq & p) + p) ^ p) | eq
	ph := m | ^(xh | p)
	mh := p & xh
	hout := 0
	if ph&lastBit != 0 {
		hout = 1
	} else if mh&lastBit != 0 {
		hout = -1
	}
	ph <<= 1
	mh <<= 1
	if hin < 0 {
		mh |= 1
	} else if hin > 0 {
		ph |= 1
	}
	*pv = mh | ^(xv | ph)
	*mv = ph & xv
	return hout
}

// prefixDistance returns the edit distance between the pattern, of at most
// 64 runes, and the best prefix of text.
func (mt *matcher) prefixDistance(text []rune) int {
	if mt.m == 0 {
		return 0
	}
	pv, mv := ^uint64(0), uint64(0)
	score, best := mt.m, mt.m
	for _, c := range text {
		score += advance(&pv, &mv, mt.peq[mt.id(c)], 1, mt.lastBit)
		best = min(best, score)
	}
	return best
}
