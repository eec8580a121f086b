package auth

import (
	"slices"
	"time"
)

// Identity is who a verified token speaks for.
type Identity struct {
	UserID    string    // sub
	UserName  string    // name, else preferred_username, else email, else sub
	Datasets  []string  // "datasets" array claim; nil = all datasets allowed
	ExpiresAt time.Time // zero if no exp
}

// AllowsDataset reports whether the token grants access to the named dataset.
// A token without a "datasets" claim allows every dataset; an empty array
// allows none.
func (id Identity) AllowsDataset(name string) bool {
	return id.Datasets == nil || slices.Contains(id.Datasets, name)
}
