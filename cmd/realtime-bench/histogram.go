package main

import (
	"math"
	"sort"
	"sync/atomic"
	"time"
)

// Latencies are counted in logarithmic buckets 1% wide, from 1 µs to
// about 2 minutes; a quantile is reported as its bucket's upper bound, so it
// is never understated by more than 1%.
const (
	histBuckets = 1900
	histGrowth  = 1.01
)

var logGrowth = math.Log(histGrowth)

// histogram is a latency histogram safe for concurrent recording.
type histogram struct {
	counts [histBuckets]atomic.Uint64
}

func bucketOf(d time.Duration) int {
	us := float64(d) / float64(time.Microsecond)
	if us < 1 {
		return 0
	}
	return min(int(math.Log(us)/logGrowth)+1, histBuckets-1)
}

// bucketUpper is the largest latency bucket b holds.
func bucketUpper(b int) time.Duration {
	return time.Duration(math.Pow(histGrowth, float64(b)) * float64(time.Microsecond))
}

func (h *histogram) record(d time.Duration) { h.counts[bucketOf(d)].Add(1) }

// sparse returns the non-empty buckets as [bucket, count] pairs, the form
// client processes report them in.
func (h *histogram) sparse() [][2]uint64 {
	var out [][2]uint64
	for i := range h.counts {
		if n := h.counts[i].Load(); n > 0 {
			out = append(out, [2]uint64{uint64(i), n})
		}
	}
	return out
}

// quantile answers like latencies.quantile for this histogram alone.
func (h *histogram) quantile(q float64) time.Duration {
	l := latencies{}
	l.add(h.sparse())
	return l.quantile(q)
}

// latencies merges sparse histograms and answers quantiles.
type latencies map[int]uint64

func (l latencies) add(sparse [][2]uint64) {
	for _, p := range sparse {
		l[int(p[0])] += p[1]
	}
}

func (l latencies) count() uint64 {
	var n uint64
	for _, c := range l {
		n += c
	}
	return n
}

// quantile returns the latency below which a fraction q of the samples
// fall, or 0 without samples.
func (l latencies) quantile(q float64) time.Duration {
	total := l.count()
	if total == 0 {
		return 0
	}
	buckets := make([]int, 0, len(l))
	for b := range l {
		buckets = append(buckets, b)
	}
	sort.Ints(buckets)
	rank := uint64(math.Ceil(q * float64(total)))
	var seen uint64
	for _, b := range buckets {
		seen += l[b]
		if seen >= rank {
			return bucketUpper(b)
		}
	}
	return bucketUpper(buckets[len(buckets)-1])
}
