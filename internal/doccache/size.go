package doccache

import "encoding/json"

// Rough in-memory sizes on a 64-bit platform, used to charge entries to the cache's byte
// budget. They need to be proportionate, not exact.
const (
	ifaceBytes    = 16  // an interface value
	stringBytes   = 16  // a string header
	mapEntryBytes = 48  // key, value and bucket share of one map entry
	mapBytes      = 48  // a map header
	sliceBytes    = 24  // a slice header
	recordBytes   = 128 // the stored struct, its key and ristretto's bookkeeping
)

func entryCost(key string, e Entry) int64 {
	return recordBytes + int64(len(key)+len(e.Type)) + docSize(e.Doc)
}

// docSize approximates the memory held by a decoded JSON document.
func docSize(doc map[string]any) int64 {
	n := int64(mapBytes)
	for k, v := range doc {
		n += mapEntryBytes + int64(len(k)) + valueSize(v)
	}
	return n
}

func valueSize(v any) int64 {
	switch v := v.(type) {
	case string:
		return stringBytes + int64(len(v))
	case json.Number:
		return stringBytes + int64(len(v))
	case map[string]any:
		return docSize(v)
	case []any:
		n := int64(sliceBytes)
		for _, e := range v {
			n += ifaceBytes + valueSize(e)
		}
		return n
	}
	return 8 // float64, bool, nil
}
