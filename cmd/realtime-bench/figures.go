package main

import (
	"math"
	"strconv"
	"time"
)

// ms formats a duration as plain decimal milliseconds.
func ms(d time.Duration) float64 { return math.Round(float64(d)/float64(time.Millisecond)*1000) / 1000 }

// decimal formats a figure as a plain decimal with at most 3 digits after
// the point.
func decimal(x float64) string {
	return strconv.FormatFloat(math.Round(x*1000)/1000, 'f', -1, 64)
}
