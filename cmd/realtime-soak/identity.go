package main

import (
	"net"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// soakSecret signs every token; the sidecar gets it in SOAK_JWT_SECRET.
const soakSecret = "realtime-soak-secret-at-least-32-bytes-long"

// Limits the load keeps under, so that the sidecar's defaults
// (max_sockets_per_user 256, max_sockets_per_addr 1024) refuse nothing even
// while closed sockets are still being cleaned up.
const (
	socketsPerUser = 50
	socketsPerAddr = 250
)

// token returns an HS256 token for user, valid for ttl.
func token(user string, ttl time.Duration) (string, error) {
	return jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{
		"sub":  user,
		"name": user,
		"exp":  time.Now().Add(ttl).Unix(),
	}).SignedString([]byte(soakSecret))
}

// stayerAddr is the source address of the stayers.
var stayerAddr = net.IPv4(127, 0, 1, 1)

// churnerAddr spreads churner slots over 127.0.2.1 and up, socketsPerAddr to
// an address, so that no address runs out of ephemeral ports or reaches the
// per-address socket limit.
func churnerAddr(slot int) net.IP {
	n := 2<<8 + 1 + slot/socketsPerAddr
	return net.IPv4(127, 0, byte(n>>8), byte(n))
}
