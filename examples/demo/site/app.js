// The demo page: a plain-JavaScript client of the cms_realtime protocol.
// It lists json-server's posts over REST (through Caddy), keeps one
// WebSocket to /ws for presence and live events, and reconnects on its own.
'use strict'

const QUERY = '*[_type == "posts"]'
const params = new URLSearchParams(location.search)
const userId = params.get('user') || 'alice'

const state = {
  me: null, // {userId, userName}
  posts: [],
  presence: new Map(), // documentId -> Map(userId -> userName), other sockets only
  editing: null, // documentId this page is editing
  editorDirty: false, // the editor has changes not saved yet
  ws: null,
  retries: 0,
}

const $ = (id) => document.getElementById(id)

// ---- connection -----------------------------------------------------------

async function connect () {
  let auth
  try {
    const res = await fetch('/demo/token?user=' + encodeURIComponent(userId))
    if (!res.ok) throw new Error(`token: ${res.status} ${await res.text()}`)
    auth = await res.json()
  } catch (err) {
    log('error', `could not get a token: ${err.message}`)
    return reconnectLater()
  }
  state.me = { userId: auth.userId, userName: auth.userName }
  renderMe()

  const scheme = location.protocol === 'https:' ? 'wss' : 'ws'
  const ws = new WebSocket(`${scheme}://${location.host}/ws?token=${encodeURIComponent(auth.token)}`)
  state.ws = ws
  ws.onmessage = (ev) => {
    let msg
    try { msg = JSON.parse(ev.data) } catch { return log('error', 'unreadable message') }
    handle(msg)
  }
  ws.onclose = (ev) => {
    if (state.ws !== ws) return
    state.ws = null
    setConnected(false)
    log('system', `disconnected (code ${ev.code}${ev.reason ? ': ' + ev.reason : ''})`)
    reconnectLater()
  }
}

function reconnectLater () {
  const delay = Math.min(10000, 500 * 2 ** state.retries++)
  $('conn-text').textContent = `Reconnecting in ${Math.round(delay / 1000)}s…`
  setTimeout(connect, delay)
}

function send (msg) {
  if (state.ws && state.ws.readyState === WebSocket.OPEN) state.ws.send(JSON.stringify(msg))
}

setInterval(() => send({ type: 'ping' }), 25000)

function setConnected (on) {
  const dot = $('conn-dot')
  dot.className = 'dot ' + (on ? 'connected' : 'disconnected')
  dot.dataset.state = on ? 'connected' : 'disconnected'
  $('conn-text').textContent = on ? 'Live' : 'Disconnected'
}

// ---- protocol -------------------------------------------------------------

function handle (msg) {
  switch (msg.type) {
    case 'welcome':
      state.retries = 0
      setConnected(true)
      log('system', `connected as ${msg.userId}`)
      send({ type: 'subscribe', query: QUERY })
      if (state.editing) send({ type: 'presence.join', documentId: state.editing })
      loadPosts()
      break
    case 'presence.snapshot':
      state.presence.clear()
      for (const doc of msg.documents) {
        state.presence.set(doc.documentId, new Map(doc.users.map((u) => [u.userId, u.userName])))
      }
      renderPosts()
      break
    case 'presence.join':
    case 'presence.leave': {
      const users = state.presence.get(msg.documentId) || new Map()
      if (msg.type === 'presence.join') users.set(msg.userId, msg.userName)
      else users.delete(msg.userId)
      state.presence.set(msg.documentId, users)
      log('presence', `${msg.userName} ${msg.type === 'presence.join' ? 'opened' : 'closed'} #${msg.documentId}`)
      renderPosts()
      break
    }
    case 'subscribed':
      log('system', `subscribed to ${msg.query}`)
      break
    case 'mutation':
      log('mutation', `${msg.operation} ${msg.documentType} #${msg.documentId}`)
      flashOnLoad.add(msg.documentId)
      loadPostsSoon()
      break
    case 'document.updated':
      log('document', `#${msg.documentId} you are editing: ${msg.operation}`)
      onEditedDocumentChanged(msg)
      break
    case 'error':
      log('error', `${msg.code}: ${msg.message}`)
      break
    case 'reset':
      loadPosts()
      break
  }
}

// ---- posts over REST ------------------------------------------------------

const flashOnLoad = new Set()
let loadTimer = null

function loadPostsSoon () {
  clearTimeout(loadTimer)
  loadTimer = setTimeout(loadPosts, 60)
}

async function loadPosts () {
  try {
    const res = await fetch('/posts?_sort=id&_order=desc')
    if (!res.ok) throw new Error(`${res.status}`)
    state.posts = await res.json()
  } catch (err) {
    log('error', `could not load posts: ${err.message}`)
    return
  }
  renderPosts()
  flashOnLoad.clear()
}

async function write (method, path, body) {
  const res = await fetch(path, {
    method,
    headers: body ? { 'Content-Type': 'application/json' } : {},
    body: body ? JSON.stringify(body) : undefined,
  })
  if (!res.ok) {
    log('error', `${method} ${path}: ${res.status}`)
    return null
  }
  loadPostsSoon()
  return res.json()
}

const sampleTitles = [
  'Ten tips for calmer deploys', 'Why we moved to Caddy', 'Release notes: spring edition',
  'A field guide to GROQ', 'Designing for presence', 'What the sidecar saw',
]

async function createPost () {
  const title = sampleTitles[Math.floor(Math.random() * sampleTitles.length)]
  const post = await write('POST', '/posts', { title, body: '', status: 'draft', author: state.me?.userId })
  if (post) startEditing(String(post.id), post)
}

// ---- editing and presence -------------------------------------------------

function startEditing (id, post) {
  if (state.editing === id) return
  stopEditing()
  state.editing = id
  send({ type: 'presence.join', documentId: id })
  fillEditor(post)
  renderPosts()
}

function stopEditing () {
  if (!state.editing) return
  send({ type: 'presence.leave', documentId: state.editing })
  state.editing = null
  $('editor').hidden = true
  renderPosts()
}

function fillEditor (post = state.posts.find((p) => String(p.id) === state.editing)) {
  $('editor').hidden = false
  $('editor-id').textContent = '#' + state.editing
  $('editor-title').value = post ? post.title || '' : ''
  $('editor-body').value = post ? post.body || '' : ''
  $('editor-note').hidden = true
  state.editorDirty = false
  renderEditorPresence()
}

function onEditedDocumentChanged (msg) {
  if (msg.documentId !== state.editing) return
  if (msg.operation === 'delete') {
    state.editing = null
    $('editor').hidden = true
    return
  }
  const note = $('editor-note')
  const at = new Date(msg.ts).toLocaleTimeString([], { hour12: false })
  if (state.editorDirty) {
    note.textContent = `Changed elsewhere (${msg.operation}) at ${at}; saving will overwrite it.`
  } else {
    note.textContent = `Changed elsewhere (${msg.operation}) at ${at}; reloaded.`
    reloadEditor(msg.documentId)
  }
  note.hidden = false
}

async function reloadEditor (id) {
  const res = await fetch(`/posts/${encodeURIComponent(id)}`)
  if (!res.ok || state.editing !== id || state.editorDirty) return
  const post = await res.json()
  $('editor-title').value = post.title || ''
  $('editor-body').value = post.body || ''
}

// Users on a document: other sockets' presence plus this page's own.
function usersOn (id) {
  const users = new Map(state.presence.get(id) || [])
  if (state.editing === id && state.me) users.set(state.me.userId, state.me.userName)
  return users
}

// ---- rendering ------------------------------------------------------------

const palette = ['#6366f1', '#ec4899', '#14b8a6', '#f97316', '#8b5cf6', '#0ea5e9', '#84cc16']

function avatar (id, name) {
  const el = document.createElement('span')
  el.className = 'avatar'
  let h = 0
  for (const c of id) h = (h * 31 + c.charCodeAt(0)) >>> 0
  el.style.background = palette[h % palette.length]
  el.textContent = (name || id).trim().charAt(0).toUpperCase()
  el.title = name || id
  return el
}

function renderMe () {
  const slot = $('me-avatar')
  slot.replaceWith(Object.assign(avatar(state.me.userId, state.me.userName), { id: 'me-avatar' }))
  $('me-name').textContent = state.me.userName
  const others = []
  for (const a of document.querySelectorAll('.switch a')) {
    a.classList.toggle('active', a.dataset.user === state.me.userId)
    if (a.dataset.user !== state.me.userId) others.push(a)
  }
  const tip = $('tip-user')
  tip.href = others[0].getAttribute('href')
  tip.textContent = `this page as ${others[0].textContent}`
}

function renderPosts () {
  const list = $('post-list')
  list.replaceChildren(...state.posts.map(renderPost))
  $('posts-empty').hidden = state.posts.length > 0
  $('post-count').textContent = state.posts.length ? `(${state.posts.length})` : ''
  if (state.editing) renderEditorPresence()
}

function renderPost (post) {
  const id = String(post.id)
  const li = document.createElement('li')
  li.className = 'post' + (state.editing === id ? ' selected' : '') + (flashOnLoad.has(id) ? ' flash' : '')
  li.dataset.id = id
  li.addEventListener('click', () => startEditing(id))

  const title = document.createElement('div')
  title.className = 'post-title'
  title.textContent = post.title || '(untitled)'

  const meta = document.createElement('div')
  meta.className = 'post-meta'
  const published = post.status === 'published'
  const badge = document.createElement('span')
  badge.className = 'badge ' + (published ? 'published' : 'draft')
  badge.textContent = published ? 'published' : 'draft'
  const idLabel = document.createElement('span')
  idLabel.className = 'doc-id'
  idLabel.textContent = '#' + id
  const avatars = document.createElement('span')
  avatars.className = 'avatars'
  for (const [uid, name] of usersOn(id)) avatars.append(avatar(uid, name))
  meta.append(badge, idLabel, avatars)

  const actions = document.createElement('div')
  actions.className = 'post-actions'
  actions.append(
    button(published ? 'Unpublish' : 'Publish', 'btn small', () =>
      write('PATCH', `/posts/${id}`, { status: published ? 'draft' : 'published' })),
    button('Delete', 'btn small danger', () => write('DELETE', `/posts/${id}`)),
  )
  li.append(title, actions, meta)
  return li
}

function button (label, className, onClick) {
  const b = document.createElement('button')
  b.type = 'button'
  b.className = className
  b.textContent = label
  b.addEventListener('click', (ev) => { ev.stopPropagation(); onClick() })
  return b
}

function renderEditorPresence () {
  $('editor-presence').replaceChildren(...[...usersOn(state.editing)].map(([uid, name]) => avatar(uid, name)))
}

function log (kind, text) {
  const li = document.createElement('li')
  li.dataset.kind = kind
  const time = document.createElement('time')
  time.textContent = new Date().toLocaleTimeString([], { hour12: false })
  const tag = document.createElement('span')
  tag.className = 'tag ' + kind
  tag.textContent = kind === 'document' ? 'document.updated' : kind
  const body = document.createElement('span')
  body.className = 'event-text'
  body.textContent = text
  li.append(time, tag, body)
  const logEl = $('event-log')
  logEl.prepend(li)
  while (logEl.children.length > 200) logEl.lastChild.remove()
}

// ---- wiring ---------------------------------------------------------------

$('new-post').addEventListener('click', createPost)
$('editor-close').addEventListener('click', stopEditing)
$('log-clear').addEventListener('click', () => $('event-log').replaceChildren())
$('editor-form').addEventListener('input', () => { state.editorDirty = true })
$('editor-form').addEventListener('submit', async (ev) => {
  ev.preventDefault()
  const saved = await write('PATCH', `/posts/${state.editing}`, { title: $('editor-title').value, body: $('editor-body').value })
  if (saved) {
    state.editorDirty = false
    $('editor-note').hidden = true
  }
})

connect()
