package main

import "testing"

func TestSeqTracker(t *testing.T) {
	cases := []struct {
		name                          string
		seqs                          []uint64
		expected                      int
		lost, dup, reorders, received int
	}{
		{"every event once", []uint64{4, 5, 6, 7}, 4, 0, 0, 0, 4},
		{"a gap in the middle", []uint64{4, 5, 7}, 4, 1, 0, 0, 3},
		{"the last ones missing", []uint64{4, 5}, 4, 2, 0, 0, 2},
		{"a duplicate hides no loss", []uint64{4, 5, 5, 7}, 4, 1, 1, 0, 3},
		{"a hole even when the count is reached", []uint64{1, 2, 4, 5}, 4, 1, 0, 0, 4},
		{"out of order", []uint64{1, 3, 2}, 3, 0, 0, 1, 3},
		{"nothing received", nil, 3, 3, 0, 0, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tr := newSeqTracker()
			for _, s := range tc.seqs {
				tr.add(s)
			}
			if got := tr.lost(tc.expected); got != tc.lost {
				t.Errorf("lost = %d, want %d", got, tc.lost)
			}
			if tr.dup != tc.dup || tr.reorders != tc.reorders || tr.received() != tc.received {
				t.Errorf("dup, reorders, received = %d, %d, %d, want %d, %d, %d", tr.dup, tr.reorders, tr.received(), tc.dup, tc.reorders, tc.received)
			}
		})
	}
}
