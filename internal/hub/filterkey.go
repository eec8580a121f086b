package hub

import (
	"encoding/json"
	"strconv"
)

// filterKey names what a compiled filter depends on: the query text and its
// params in canonical form (encoding/json sorts object keys), so that
// subscriptions asking the same thing share one filter. Query text that
// differs only in spacing is not recognised as the same. The query's length
// leads, so that no query and params can read as another's.
func filterKey(query string, params map[string]any) (string, error) {
	key := strconv.Itoa(len(query)) + ":" + query
	if len(params) == 0 {
		return key, nil
	}
	p, err := json.Marshal(params)
	if err != nil {
		return "", err
	}
	return key + string(p), nil
}
