package main

import (
	"strconv"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// benchSecret signs the clients' tokens; every server is started with it in
// JWT_SECRET.
const benchSecret = "realtime-bench-secret-at-least-32-bytes-long"

// socketsPerUser groups sockets under one userId, below the hub's default
// per-user limit (256), so that presence announces one join per group.
const socketsPerUser = 200

// token returns an HS256 token for socket i.
func token(i int, ttl time.Duration) (string, error) {
	user := i / socketsPerUser
	return jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{
		"sub":  "bench-user-" + strconv.Itoa(user),
		"name": "Bench User " + strconv.Itoa(user),
		"exp":  time.Now().Add(ttl).Unix(),
	}).SignedString([]byte(benchSecret))
}
