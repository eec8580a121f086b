package auth

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"
)

const (
	// jwksMinRefetch bounds how often an unknown kid can make the verifier
	// go back to the JWKS URL, so forged kids cannot hammer the provider.
	jwksMinRefetch = 30 * time.Second
	// jwksRefresh is how often the set is refreshed in the background, so a
	// key the provider withdrew stops verifying.
	jwksRefresh = 15 * time.Minute
	// jwksMaxBytes caps the size of a JWKS response.
	jwksMaxBytes = 1 << 20
)

// jwksSource serves keys from a JWKS URL. Keys are fetched in the background
// when the source starts and every jwksRefresh after that, and again (at most
// once per minRefetch) when a token names a key the cached set lacks, which is
// how key rotation is picked up.
type jwksSource struct {
	url        string
	client     *http.Client
	now        func() time.Time
	minRefetch time.Duration

	fetchMu sync.Mutex // serialises fetches

	mu         sync.RWMutex
	keys       []verificationKey
	generation uint64    // incremented by every fetch attempt
	attempted  time.Time // time of the last fetch attempt
	lastErr    error     // error of the last fetch attempt, nil on success

	stop context.CancelFunc
	done chan struct{}
}

func newJWKSSource(url string, client *http.Client, now func() time.Time) *jwksSource {
	return &jwksSource{
		url:        url,
		client:     client,
		now:        now,
		minRefetch: jwksMinRefetch,
	}
}

// start launches the background refresh; close stops it.
func (s *jwksSource) start() {
	ctx, cancel := context.WithCancel(context.Background())
	s.stop = cancel
	s.done = make(chan struct{})
	go func() {
		defer close(s.done)
		ticker := time.NewTicker(jwksRefresh)
		defer ticker.Stop()
		for {
			// Failures are kept in lastErr and reported by lookup; the
			// previous keys stay in use until a fetch succeeds.
			_ = s.refresh(ctx)
			select {
			case <-ctx.Done():
				return
			case <-ticker.C:
			}
		}
	}()
}

func (s *jwksSource) close() {
	if s.stop == nil {
		return
	}
	s.stop()
	<-s.done
}

func (s *jwksSource) lookup(ctx context.Context, kid, alg string) (verificationKey, error) {
	key, found := s.find(kid, alg)
	if found == keyFound {
		return key, nil
	}
	if found == keyMissing {
		if err := s.refresh(ctx); err != nil {
			return verificationKey{}, err
		}
		key, found = s.find(kid, alg)
	}
	switch found {
	case keyFound:
		return key, nil
	case keyAmbiguous:
		return verificationKey{}, invalid("token has no kid and the key set holds several keys for its algorithm")
	}
	s.mu.RLock()
	lastErr := s.lastErr
	s.mu.RUnlock()
	if lastErr != nil {
		return verificationKey{}, lastErr
	}
	if kid == "" {
		return verificationKey{}, invalid("no key in the key set fits the token's algorithm")
	}
	return verificationKey{}, invalid("no key in the key set has the token's kid")
}

type findResult int

const (
	keyMissing findResult = iota
	keyFound
	keyAmbiguous
)

// find selects the key named by kid or, for a token without kid, the only key
// that can verify alg. A key found by kid is returned whatever its algorithms:
// the caller refuses the token if alg does not fit it.
func (s *jwksSource) find(kid, alg string) (verificationKey, findResult) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if kid != "" {
		for _, k := range s.keys {
			if k.kid == kid {
				return k, keyFound
			}
		}
		return verificationKey{}, keyMissing
	}
	var match verificationKey
	n := 0
	for _, k := range s.keys {
		if k.allows(alg) {
			match = k
			n++
		}
	}
	switch n {
	case 0:
		return verificationKey{}, keyMissing
	case 1:
		return match, keyFound
	}
	return verificationKey{}, keyAmbiguous
}

// refresh fetches the key set unless one was attempted less than minRefetch
// ago or a fetch finished while this call waited for another. It returns an
// error only when no keys are available at all.
func (s *jwksSource) refresh(ctx context.Context) error {
	s.mu.RLock()
	generation := s.generation
	s.mu.RUnlock()

	s.fetchMu.Lock()
	defer s.fetchMu.Unlock()

	s.mu.RLock()
	skip := s.generation != generation ||
		(!s.attempted.IsZero() && s.now().Sub(s.attempted) < s.minRefetch)
	s.mu.RUnlock()
	if !skip {
		keys, err := s.fetch(ctx)
		if err != nil && ctx.Err() != nil {
			// The caller gave up; that says nothing about the provider.
			return fmt.Errorf("%w: %w", ErrKeyUnavailable, ctx.Err())
		}
		s.mu.Lock()
		s.generation++
		s.attempted = s.now()
		s.lastErr = err
		if err == nil {
			s.keys = keys
		}
		s.mu.Unlock()
	}

	s.mu.RLock()
	defer s.mu.RUnlock()
	if len(s.keys) == 0 && s.lastErr != nil {
		return s.lastErr
	}
	return nil
}

func (s *jwksSource) fetch(ctx context.Context) ([]verificationKey, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.url, nil)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrKeyUnavailable, err)
	}
	req.Header.Set("Accept", "application/jwk-set+json, application/json")
	resp, err := s.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrKeyUnavailable, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%w: GET %s: %s", ErrKeyUnavailable, s.url, resp.Status)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, jwksMaxBytes+1))
	if err != nil {
		return nil, fmt.Errorf("%w: reading %s: %v", ErrKeyUnavailable, s.url, err)
	}
	if len(body) > jwksMaxBytes {
		return nil, fmt.Errorf("%w: %s is larger than %d bytes", ErrKeyUnavailable, s.url, jwksMaxBytes)
	}
	keys, err := parseJWKS(body)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrKeyUnavailable, s.url, err)
	}
	return keys, nil
}

// parseJWKS parses a JWK Set. Keys that cannot verify signatures (encryption
// keys, unsupported types, malformed parameters) are skipped so that one odd
// key does not take the whole set down; a set with no usable key is an error.
func parseJWKS(data []byte) ([]verificationKey, error) {
	var set struct {
		Keys []jwk `json:"keys"`
	}
	if err := json.Unmarshal(data, &set); err != nil {
		return nil, fmt.Errorf("not a JWK Set: %v", err)
	}
	keys := make([]verificationKey, 0, len(set.Keys))
	var errs []error
	for i, j := range set.Keys {
		k, err := j.parse()
		if err != nil {
			errs = append(errs, fmt.Errorf("key %d (kid %q): %w", i, j.Kid, err))
			continue
		}
		keys = append(keys, k)
	}
	if len(keys) == 0 {
		if len(errs) == 0 {
			return nil, errors.New("the key set is empty")
		}
		return nil, fmt.Errorf("no usable key: %w", errors.Join(errs...))
	}
	return keys, nil
}
