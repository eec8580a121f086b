package caddyfile

import (
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/caddyserver/caddy/v2"
	"github.com/caddyserver/caddy/v2/caddyconfig/caddyfile"
	"github.com/caddyserver/caddy/v2/caddyconfig/httpcaddyfile"
	"github.com/caddyserver/caddy/v2/modules/caddyhttp"
	"github.com/dustin/go-humanize"

	"github.com/caddy-cms-realtime/caddy-cms-realtime/internal/infer"
	"github.com/caddy-cms-realtime/caddy-cms-realtime/module"
)

// Directive is the Caddyfile directive's name.
const Directive = "cms_realtime"

func init() {
	httpcaddyfile.RegisterHandlerDirective(Directive, parse)
	httpcaddyfile.RegisterDirectiveOrder(Directive, httpcaddyfile.Before, "reverse_proxy")
}

// subdirectives lists every subdirective, for error messages.
var subdirectives = []string{
	"jwt_secret", "jwt_public_key", "jwks", "jwt_audience", "jwt_issuer", "jwt_leeway",
	"dataset", "path", "type", "preset", "max_body", "cache_size", "allowed_origins",
	"id_field", "type_field", "status_field", "published_values", "envelope", "collection", "ignore",
	"ping_interval", "pong_timeout", "max_message", "rate_limit", "queue",
	"max_subscriptions", "max_presence", "max_sockets", "max_sockets_per_user", "max_sockets_per_addr", "history",
}

func parse(h httpcaddyfile.Helper) (caddyhttp.MiddlewareHandler, error) {
	m := new(module.Handler)
	if err := Unmarshal(h.Dispenser, m); err != nil {
		return nil, err
	}
	return m, nil
}

// Unmarshal reads a cms_realtime block:
//
//	cms_realtime {
//		jwt_secret      <secret>            # or jwt_public_key <file>, or jwks <url>
//		jwt_audience    <aud>
//		jwt_issuer      <iss>
//		jwt_leeway      <duration>
//		dataset         <name>              # default production
//		path            <path>              # default /ws
//		type            <document type>
//		preset          generic|json-server
//		max_body        <size>              # default 1MiB
//		cache_size      <size>              # default 64MiB
//		allowed_origins <origin...>         # default: the request's host
//		id_field        <field or pointer>  # tried before the preset's
//		type_field      <field or pointer>
//		status_field    <field or pointer>
//		published_values <value...>
//		envelope        <field or pointer>  # the field holding the document(s)
//		collection      <path or /prefix/*> <type>  # repeatable
//		ignore          <path or /prefix/*...>      # repeatable
//		ping_interval   <duration>          # default 25s
//		pong_timeout    <duration>          # default 10s
//		max_message     <size>              # default 64KiB
//		rate_limit      <per second> <burst> # default 50 100
//		queue           <messages> <size>   # default 1024 1MiB
//		max_subscriptions <n>               # default 100
//		max_presence    <n>                 # default 100
//		max_sockets     <n>                 # default unlimited (process-wide)
//		max_sockets_per_user <n>            # default 256 (process-wide)
//		max_sockets_per_addr <n>            # default 1024 (process-wide)
//		history         <events> <duration> # default 1000 10m (process-wide)
//	}
func Unmarshal(d *caddyfile.Dispenser, m *module.Handler) error {
	d.Next() // directive name
	if d.NextArg() {
		return d.Errf("%s takes no arguments on its first line; put options in a block: %s { jwt_secret ... }", Directive, Directive)
	}
	seen := map[string]bool{}
	for d.NextBlock(0) {
		sub := d.Val()
		if seen[sub] && sub != "collection" && sub != "ignore" {
			return d.Errf("%s: %s is set twice; keep one", Directive, sub)
		}
		seen[sub] = true
		if err := unmarshalSub(d, m, sub); err != nil {
			return err
		}
	}
	keys := 0
	for _, k := range []string{"jwt_secret", "jwt_public_key", "jwks"} {
		if seen[k] {
			keys++
		}
	}
	if keys != 1 {
		return d.Errf("%s needs exactly one token key: jwt_secret <secret of 32+ bytes>, jwt_public_key <PEM file> or jwks <url> (found %d)", Directive, keys)
	}
	// The inference settings are checked now, so that a bad JSON pointer or
	// path pattern is reported with its line rather than at provision.
	if _, err := infer.New(m.InferConfig(), nil); err != nil {
		return d.Errf("%s: %v", Directive, err)
	}
	return nil
}

func unmarshalSub(d *caddyfile.Dispenser, m *module.Handler, sub string) error {
	switch sub {
	case "jwt_secret":
		v, err := oneArg(d, sub, "<secret>, e.g. jwt_secret {env.JWT_SECRET}")
		if err != nil {
			return err
		}
		if !strings.Contains(v, "{") && len(v) < module.MinHMACSecret {
			return d.Errf("%s: jwt_secret is %d bytes; an HMAC secret needs at least %d (generate one with: openssl rand -base64 48)", Directive, len(v), module.MinHMACSecret)
		}
		m.JWTSecret = v
	case "jwt_public_key":
		v, err := oneArg(d, sub, "<path to a PEM public key>")
		m.JWTPublicKey = v
		return err
	case "jwks":
		v, err := oneArg(d, sub, "<https URL of a JSON Web Key Set>")
		if err != nil {
			return err
		}
		if u, perr := url.Parse(v); perr != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return d.Errf("%s: jwks %q is not an http(s) URL; write e.g. jwks https://auth.example.com/.well-known/jwks.json", Directive, v)
		}
		m.JWKSURL = v
	case "jwt_audience":
		v, err := oneArg(d, sub, "<audience>")
		m.JWTAudience = v
		return err
	case "jwt_issuer":
		v, err := oneArg(d, sub, "<issuer>")
		m.JWTIssuer = v
		return err
	case "jwt_leeway":
		v, err := oneArg(d, sub, "<duration>, e.g. jwt_leeway 30s")
		if err != nil {
			return err
		}
		dur, perr := caddy.ParseDuration(v)
		if perr != nil || dur < 0 {
			return d.Errf("%s: jwt_leeway %q is not a duration; write e.g. jwt_leeway 30s", Directive, v)
		}
		m.JWTLeeway = caddy.Duration(dur)
	case "dataset":
		v, err := oneArg(d, sub, "<name>, e.g. dataset production")
		m.Dataset = v
		return err
	case "path":
		v, err := oneArg(d, sub, "<path>, e.g. path /ws")
		if err != nil {
			return err
		}
		if !strings.HasPrefix(v, "/") {
			return d.Errf("%s: path %q must start with /; write e.g. path /ws", Directive, v)
		}
		m.Path = v
	case "type":
		v, err := oneArg(d, sub, "<document type>, e.g. type post")
		m.Type = v
		return err
	case "preset":
		presets := infer.PresetNames()
		v, err := oneArg(d, sub, "<"+strings.Join(presets, "|")+">")
		if err != nil {
			return err
		}
		if !slices.Contains(presets, v) {
			return d.Errf("%s: unknown preset %q; use one of %s", Directive, v, strings.Join(presets, ", "))
		}
		m.Preset = v
	case "max_body", "cache_size":
		v, err := oneArg(d, sub, "<size>, e.g. "+sub+" 1MiB")
		if err != nil {
			return err
		}
		n, err := size(d, sub, v)
		if err != nil {
			return err
		}
		if sub == "max_body" {
			m.MaxBody = n
		} else {
			m.CacheSize = n
		}
	case "allowed_origins":
		args := d.RemainingArgs()
		if len(args) == 0 {
			return d.Errf("%s: allowed_origins needs at least one origin; write e.g. allowed_origins https://studio.example.com", Directive)
		}
		for _, o := range args {
			if o == "*" {
				continue
			}
			u, perr := url.Parse(o)
			if perr != nil || u.Scheme == "" || u.Host == "" || (u.Path != "" && u.Path != "/") {
				return d.Errf("%s: allowed_origins %q is not an origin; write scheme://host[:port], e.g. https://studio.example.com, or *", Directive, o)
			}
		}
		m.AllowedOrigins = args
	case "id_field", "type_field", "status_field", "envelope":
		v, err := oneArg(d, sub, "<field name or JSON pointer>, e.g. "+sub+" /sys/id")
		if err != nil {
			return err
		}
		switch sub {
		case "id_field":
			m.IDField = v
		case "type_field":
			m.TypeField = v
		case "status_field":
			m.StatusField = v
		case "envelope":
			m.Envelope = v
		}
	case "published_values":
		args := d.RemainingArgs()
		if len(args) == 0 {
			return d.Errf("%s: published_values needs at least one value; write e.g. published_values published live", Directive)
		}
		m.PublishedValues = args
	case "collection":
		args := d.RemainingArgs()
		if len(args) != 2 || !strings.HasPrefix(args[0], "/") {
			return d.Errf("%s: collection takes <path or /prefix/*> <type>, e.g. collection /api/articles/* article", Directive)
		}
		m.Collections = append(m.Collections, module.Collection{Path: args[0], Type: args[1]})
	case "ignore":
		args := d.RemainingArgs()
		if len(args) == 0 {
			return d.Errf("%s: ignore needs at least one path; write e.g. ignore /auth/* /uploads/*", Directive)
		}
		for _, a := range args {
			if !strings.HasPrefix(a, "/") {
				return d.Errf("%s: ignore path %q must start with /; write e.g. ignore /auth/*", Directive, a)
			}
		}
		m.Ignore = append(m.Ignore, args...)
	case "ping_interval", "pong_timeout":
		v, err := oneArg(d, sub, "<duration>, e.g. "+sub+" 25s")
		if err != nil {
			return err
		}
		dur, err := positiveDuration(d, sub, v)
		if err != nil {
			return err
		}
		if sub == "ping_interval" {
			m.PingInterval = dur
		} else {
			m.PongTimeout = dur
		}
	case "max_message":
		v, err := oneArg(d, sub, "<size>, e.g. max_message 64KiB")
		if err != nil {
			return err
		}
		n, err := size(d, sub, v)
		m.MaxMessage = n
		return err
	case "rate_limit":
		args := d.RemainingArgs()
		if len(args) != 2 {
			return d.Errf("%s: rate_limit takes <messages per second> <burst>, e.g. rate_limit 50 100", Directive)
		}
		rate, perr := strconv.ParseFloat(args[0], 64)
		if perr != nil || rate <= 0 {
			return d.Errf("%s: rate_limit rate %q is not a positive number; write e.g. rate_limit 50 100", Directive, args[0])
		}
		burst, err := count(d, sub, args[1])
		if err != nil {
			return err
		}
		m.MessageRate, m.MessageBurst = rate, burst
	case "queue":
		args := d.RemainingArgs()
		if len(args) != 2 {
			return d.Errf("%s: queue takes <messages> <size>, e.g. queue 1024 1MiB", Directive)
		}
		n, err := count(d, sub, args[0])
		if err != nil {
			return err
		}
		b, err := size(d, sub, args[1])
		if err != nil {
			return err
		}
		m.QueueMessages, m.QueueBytes = n, b
	case "max_subscriptions", "max_presence", "max_sockets", "max_sockets_per_user", "max_sockets_per_addr":
		v, err := oneArg(d, sub, "<count>, e.g. "+sub+" 100")
		if err != nil {
			return err
		}
		n, err := count(d, sub, v)
		if err != nil {
			return err
		}
		switch sub {
		case "max_subscriptions":
			m.MaxSubscriptions = n
		case "max_presence":
			m.MaxPresence = n
		case "max_sockets":
			m.MaxSockets = n
		case "max_sockets_per_user":
			m.MaxSocketsPerUser = n
		case "max_sockets_per_addr":
			m.MaxSocketsPerAddr = n
		}
	case "history":
		args := d.RemainingArgs()
		if len(args) != 2 {
			return d.Errf("%s: history takes <events> <max age>, e.g. history 1000 10m", Directive)
		}
		n, err := count(d, sub, args[0])
		if err != nil {
			return err
		}
		age, err := positiveDuration(d, sub, args[1])
		if err != nil {
			return err
		}
		m.HistorySize, m.HistoryAge = n, age
	default:
		return d.Errf("%s: unknown subdirective %q; valid subdirectives are %s", Directive, sub, strings.Join(subdirectives, ", "))
	}
	return nil
}

// oneArg reads exactly one argument of sub; usage says what to write.
func oneArg(d *caddyfile.Dispenser, sub, usage string) (string, error) {
	args := d.RemainingArgs()
	if len(args) != 1 {
		return "", d.Errf("%s: %s takes exactly one argument, got %d; write %s %s", Directive, sub, len(args), sub, usage)
	}
	return args[0], nil
}

// size parses a byte size such as 64KiB or 1MB.
func size(d *caddyfile.Dispenser, sub, v string) (int64, error) {
	n, err := humanize.ParseBytes(v)
	if err != nil || n == 0 || n > 1<<40 {
		return 0, d.Errf("%s: %s %q is not a size; write e.g. %s 1MiB", Directive, sub, v, sub)
	}
	return int64(n), nil
}

// count parses a positive whole number.
func count(d *caddyfile.Dispenser, sub, v string) (int, error) {
	n, err := strconv.Atoi(v)
	if err != nil || n <= 0 {
		return 0, d.Errf("%s: %s %q is not a positive whole number; write e.g. %s 100", Directive, sub, v, sub)
	}
	return n, nil
}

// positiveDuration parses a duration such as 25s or 10m.
func positiveDuration(d *caddyfile.Dispenser, sub, v string) (caddy.Duration, error) {
	dur, err := caddy.ParseDuration(v)
	if err != nil || dur <= 0 {
		return 0, d.Errf("%s: %s %q is not a positive duration; write e.g. %s 30s", Directive, sub, v, sub)
	}
	return caddy.Duration(dur), nil
}
