package capture

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/andybalholm/brotli"
	"github.com/klauspost/compress/zstd"
)

// ErrTooLarge reports a decoded body over the limit.
var ErrTooLarge = errors.New("capture: decoded body exceeds the limit")

// Decode returns body with the Content-Encoding undone, reading at most
// limit decoded bytes. identity (or empty), gzip, br and zstd are known;
// anything else is an error, and so is a body that does not decode.
func Decode(body []byte, contentEncoding string, limit int) ([]byte, error) {
	enc := strings.ToLower(strings.TrimSpace(contentEncoding))
	var r io.Reader
	switch enc {
	case "", "identity":
		if len(body) > limit {
			return nil, ErrTooLarge
		}
		return body, nil
	case "gzip", "x-gzip":
		zr, err := gzip.NewReader(bytes.NewReader(body))
		if err != nil {
			return nil, fmt.Errorf("capture: gzip: %w", err)
		}
		defer zr.Close()
		r = zr
	case "br":
		r = brotli.NewReader(bytes.NewReader(body))
	case "zstd":
		zr, err := zstd.NewReader(bytes.NewReader(body), zstd.WithDecoderConcurrency(1), zstd.WithDecoderMaxMemory(uint64(limit)+1<<20))
		if err != nil {
			return nil, fmt.Errorf("capture: zstd: %w", err)
		}
		defer zr.Close()
		r = zr
	default:
		return nil, fmt.Errorf("capture: unsupported content encoding %q", contentEncoding)
	}
	out, err := io.ReadAll(io.LimitReader(r, int64(limit)+1))
	if err != nil {
		return nil, fmt.Errorf("capture: %s: %w", enc, err)
	}
	if len(out) > limit {
		return nil, ErrTooLarge
	}
	return out, nil
}
