package groq

import (
	"math"
	"strconv"
	"time"
)

// This file implements GROQ's datetime as groq-js does on top of JavaScript's Date:
// millisecond precision, RFC 3339 input checked by a strict pattern, and the field range
// checks (and day overflow, 2024-02-30 is March 1st) of V8's date parser.

// maxTimeMs is the largest magnitude a JavaScript Date can hold.
const maxTimeMs = 8.64e15

// parseDateTime parses s as dateTime() does. It returns false when s does not have the
// RFC 3339 shape (dateTime() is then null) and NaN when it has the shape but a field is
// out of range (an invalid date, which is still a datetime).
func parseDateTime(s string) (float64, bool) {
	// YYYY-MM-DDTHH:MM:SS(.f+)?(Z|±HH:MM)
	if len(s) < 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':' {
		return 0, false
	}
	year, ok1 := digits(s[0:4])
	month, ok2 := digits(s[5:7])
	day, ok3 := digits(s[8:10])
	hour, ok4 := digits(s[11:13])
	minute, ok5 := digits(s[14:16])
	sec, ok6 := digits(s[17:19])
	if !(ok1 && ok2 && ok3 && ok4 && ok5 && ok6) {
		return 0, false
	}
	rest := s[19:]
	millis := 0
	if rest != "" && rest[0] == '.' {
		n := digitsLen(rest, 1)
		if n == 0 {
			return 0, false
		}
		frac := rest[1 : 1+n]
		for i := 0; i < 3; i++ {
			millis *= 10
			if i < len(frac) {
				millis += int(frac[i] - '0')
			}
		}
		rest = rest[1+n:]
	}
	offset := 0
	switch {
	case rest == "Z":
	case len(rest) == 6 && (rest[0] == '+' || rest[0] == '-') && rest[3] == ':':
		oh, ok1 := digits(rest[1:3])
		om, ok2 := digits(rest[4:6])
		if !ok1 || !ok2 {
			return 0, false
		}
		if oh > 23 || om > 59 {
			return math.NaN(), true
		}
		offset = oh*60 + om
		if rest[0] == '-' {
			offset = -offset
		}
	default:
		return 0, false
	}
	if month < 1 || month > 12 || day < 1 || day > 31 || minute > 59 || sec > 59 ||
		hour > 24 || (hour == 24 && (minute != 0 || sec != 0 || millis != 0)) {
		return math.NaN(), true
	}
	t := time.Date(year, time.Month(month), day, hour, minute, sec, millis*int(time.Millisecond), time.UTC)
	return float64(t.UnixMilli() - int64(offset)*60000), true
}

func digits(s string) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return 0, false
		}
		n = n*10 + int(s[i]-'0')
	}
	return n, true
}

// addSeconds is Date.setTime(ms + secs*1000): truncated to whole milliseconds, NaN when
// out of a Date's range.
func addSeconds(ms, secs float64) float64 {
	r := ms + secs*1000
	if math.IsNaN(r) || math.Abs(r) > maxTimeMs {
		return math.NaN()
	}
	return math.Trunc(r) + 0
}

// formatDateTime formats a datetime as groq-js does: UTC, milliseconds only when not zero.
func formatDateTime(ms float64) string {
	if math.IsNaN(ms) {
		return "0NaN-NaN-NaNTNaN:NaN:NaN.NaNZ"
	}
	t := time.UnixMilli(int64(ms)).UTC()
	b := make([]byte, 0, 24)
	b = appendPadded(b, t.Year(), 4)
	b = append(b, '-')
	b = appendPadded(b, int(t.Month()), 2)
	b = append(b, '-')
	b = appendPadded(b, t.Day(), 2)
	b = append(b, 'T')
	b = appendPadded(b, t.Hour(), 2)
	b = append(b, ':')
	b = appendPadded(b, t.Minute(), 2)
	b = append(b, ':')
	b = appendPadded(b, t.Second(), 2)
	if msec := t.Nanosecond() / int(time.Millisecond); msec != 0 {
		b = append(b, '.')
		b = appendPadded(b, msec, 3)
	}
	return string(append(b, 'Z'))
}

// appendPadded appends n left-padded with zeros to width, the way groq-js pads (a minus
// sign counts toward the width).
func appendPadded(b []byte, n, width int) []byte {
	s := strconv.Itoa(n)
	for i := len(s); i < width; i++ {
		b = append(b, '0')
	}
	return append(b, s...)
}

// isoString is Date.prototype.toISOString, which now() returns.
func isoString(t time.Time) string {
	return t.UTC().Format("2006-01-02T15:04:05.000Z")
}
