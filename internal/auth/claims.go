package auth

import "github.com/golang-jwt/jwt/v5"

// claims are the token claims the protocol reads. Display names are decoded
// loosely (a non-string is ignored) because they only label a user; datasets
// is decoded strictly, so a malformed restriction refuses the token instead
// of silently granting every dataset.
type claims struct {
	jwt.RegisteredClaims
	Name              any      `json:"name"`
	PreferredUsername any      `json:"preferred_username"`
	Email             any      `json:"email"`
	Datasets          []string `json:"datasets"`
}

func (c *claims) identity() Identity {
	id := Identity{
		UserID:   c.Subject,
		UserName: firstString(c.Name, c.PreferredUsername, c.Email, c.Subject),
		Datasets: c.Datasets,
	}
	if c.ExpiresAt != nil {
		id.ExpiresAt = c.ExpiresAt.Time
	}
	return id
}

// firstString returns the first value that is a non-empty string.
func firstString(values ...any) string {
	for _, v := range values {
		if s, ok := v.(string); ok && s != "" {
			return s
		}
	}
	return ""
}
