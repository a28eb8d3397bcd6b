// My visits today, with or without a signal (docs/offline.md; the key: docs/decisions/0020).
//
// Online, the page brings the day's visits and this session's key. The script keeps the key as a
// non-extractable CryptoKey and the visits encrypted (AES-GCM) in IndexedDB, so the page can be
// opened again with no signal. Contacts and note drafts typed here are queued, encrypted, and sent
// when there is a signal; each has an id made here, so sending twice never records twice.
// Nothing is usable once the session is over: the key expires with the session's maximum age,
// the marker cookie goes with the browser session, and signing out wipes the site's storage.
// What was not sent yet stays, encrypted and without its key, until the key's expiry: Waypoint
// hands the key back to the same worker alone when they sign in again (adoptKey; device.py).

const DB_NAME = "waypoint-offline";
const MARKER = "waypoint_offline";
const root = document.getElementById("offline-visits");
let key = null; // {id, key: CryptoKey, expires_at}
let day = null;
let syncing = false;
let unsent = 0; // contacts and notes not yet in Waypoint (for the sign-out warning)

// --- IndexedDB: three stores, "keys" (the CryptoKey), "day" and "queue" (both encrypted) ---

function openDb() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, 1);
    request.onupgradeneeded = () => {
      for (const store of ["keys", "day", "queue"]) request.result.createObjectStore(store);
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

async function store(name, mode, action) {
  const db = await openDb();
  return new Promise((resolve, reject) => {
    const transaction = db.transaction(name, mode);
    const request = action(transaction.objectStore(name));
    transaction.oncomplete = () => { db.close(); resolve(request && request.result); };
    transaction.onerror = () => { db.close(); reject(transaction.error); };
  });
}

const get = (name, id) => store(name, "readonly", (s) => s.get(id));
const put = (name, id, value) => store(name, "readwrite", (s) => s.put(value, id));
const remove = (name, id) => store(name, "readwrite", (s) => s.delete(id));
const all = (name) => store(name, "readonly", (s) => s.getAll());

function wipe() {
  return new Promise((resolve) => {
    const request = indexedDB.deleteDatabase(DB_NAME);
    request.onsuccess = request.onerror = request.onblocked = () => resolve();
  });
}

// --- Encryption: AES-GCM, a fresh 12-byte IV each time, the key never leaves WebCrypto ---

async function seal(value) {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const plain = new TextEncoder().encode(JSON.stringify(value));
  const data = await crypto.subtle.encrypt({ name: "AES-GCM", iv }, key.key, plain);
  // expires_at and shown are in the clear so that, with no key, the page can still count what is
  // waiting and drop what has expired; everything typed is in the ciphertext.
  return { key_id: key.id, expires_at: key.expires_at, shown: value.kind === "shown", iv, data };
}

async function unseal(sealed, withKey = key) {
  const plain = await crypto.subtle.decrypt({ name: "AES-GCM", iv: sealed.iv }, withKey.key, sealed.data);
  return JSON.parse(new TextDecoder().decode(plain));
}

function markerCookie() {
  const found = document.cookie.split("; ").find((part) => part.startsWith(MARKER + "="));
  return found ? found.slice(MARKER.length + 1) : "";
}

function usable(candidate) {
  return candidate && candidate.expires_at > Date.now() && markerCookie() === candidate.id;
}

async function importKey(id, encoded, expires_at) {
  const raw = Uint8Array.from(atob(encoded.replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0));
  return { id, expires_at, key: await crypto.subtle.importKey("raw", raw, "AES-GCM", false, ["encrypt", "decrypt"]) };
}

// The page brought this session's key: keep it, and move anything still queued under an earlier
// key over to it. An earlier key opens items only if Waypoint handed it back with this page: it
// hands back only the signed-in worker's own keys, before their expiry (device.py, "Held keys").
// So the same worker signing in again (after the idle timeout, or after the browser was closed)
// gets their items back; anyone else signing in on this phone cannot open them, and they are
// deleted. Returns how many items were deleted so (not counting "shown" events).
async function adoptKey(device) {
  const fresh = await importKey(device.key_id, device.key, device.expires_at);
  const old = await get("keys", "current").catch(() => null);
  const sealedItems = await all("queue").catch(() => []);
  let lost = 0;
  if ((old && old.id !== fresh.id) || sealedItems.some((sealed) => sealed.key_id !== fresh.id)) {
    const keys = new Map();
    for (const held of device.held || []) keys.set(held.key_id, await importKey(held.key_id, held.key, held.expires_at));
    if (old && keys.has(old.id)) keys.set(old.id, old); // this phone's copy of a key Waypoint says is theirs
    keys.set(fresh.id, fresh);
    const items = [];
    for (const sealed of sealedItems) {
      const withKey = keys.get(sealed.key_id);
      const item = withKey && withKey.expires_at > Date.now() ? await unseal(sealed, withKey).catch(() => null) : null;
      if (item) items.push(item);
      else if (!sealed.shown) lost += 1;
    }
    await wipe(); // the earlier key and the earlier day go
    key = fresh;
    for (const item of items) await put("queue", item.id, await seal(item));
  }
  key = fresh;
  await put("keys", "current", fresh);
  return lost;
}

function lostMessage(count) {
  return `${count} ${count === 1 ? "item" : "items"} recorded earlier on this phone could not be opened, so ${count === 1 ? "it has" : "they have"} been deleted: ${count === 1 ? "it was" : "they were"} recorded by someone else signed in on this phone, or kept past the end of ${count === 1 ? "its" : "their"} session.`;
}

// What is queued under a key this phone no longer has (found by loadKey): kept, still encrypted.
let locked = [];

async function loadKey() {
  const stored = await get("keys", "current").catch(() => null);
  if (usable(stored)) return stored;
  // The browser session is over (or was never here): the key and the day's visits go now. Unsent
  // items stay, still encrypted, until their key's expiry: this phone cannot open them any more,
  // and only the same worker signing in again before then gets the key back from Waypoint.
  const keys = await store("queue", "readonly", (s) => s.getAllKeys()).catch(() => []);
  const values = await all("queue").catch(() => []);
  const waiting = keys.map((id, i) => [id, values[i]]).filter(([, sealed]) => sealed && sealed.expires_at > Date.now());
  await wipe();
  for (const [id, sealed] of waiting) await put("queue", id, sealed);
  locked = waiting.map(([, sealed]) => sealed).filter((sealed) => !sealed.shown);
  return null;
}

function lockedNotice() {
  if (!locked.length) return [];
  const count = locked.length;
  const one = count === 1;
  const until = time(new Date(Math.min(...locked.map((sealed) => sealed.expires_at))).toISOString());
  return [h("div", { class: "nhsuk-warning-callout", id: "offline-locked" },
    h("h2", { class: "nhsuk-warning-callout__label" }, "Not sent yet"),
    h("p", {}, `${count} ${one ? "item" : "items"} recorded on this phone ${one ? "is" : "are"} kept here, locked. `,
      h("a", { href: root.dataset.signIn }, "Sign in again"),
      ` as the person who recorded ${one ? "it" : "them"}, before ${until}, to send ${one ? "it" : "them"}. Anyone else signing in cannot open ${one ? "it" : "them"}, and ${one ? "it is" : "they are"} then deleted.`))];
}

// --- The queue ---

async function queued() {
  const items = [];
  for (const sealed of await all("queue")) {
    const item = await unseal(sealed).catch(() => null);
    if (item) items.push(item);
  }
  return items.sort((a, b) => a.at.localeCompare(b.at));
}

async function enqueue(item) {
  await put("queue", item.id, await seal(item));
}

function newItem(kind, visit, fields) {
  return { id: crypto.randomUUID(), kind, appointment_id: visit.appointment_id, at: new Date().toISOString(), status: "waiting", ...fields };
}

// --- Building the page (text only: nothing from the data is ever parsed as HTML) ---

function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === false || value === null || value === undefined) continue;
    if (name === "class") element.className = value;
    else if (name.startsWith("on")) element.addEventListener(name.slice(2), value);
    else element.setAttribute(name, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    element.append(typeof child === "string" ? document.createTextNode(child) : child);
  }
  return element;
}

const time = (iso) => new Date(iso).toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit" });
const label = (choices, code) => (choices.find(([value]) => value === code) || [code, code])[1];

function radios(name, id, choices, legend) {
  return h("div", { class: "nhsuk-form-group", "data-field": name },
    h("fieldset", { class: "nhsuk-fieldset" },
      h("legend", { class: "nhsuk-fieldset__legend nhsuk-fieldset__legend--s" }, legend),
      h("div", { class: "nhsuk-radios nhsuk-radios--small" }, choices.map(([value, text]) =>
        h("div", { class: "nhsuk-radios__item" },
          h("input", { class: "nhsuk-radios__input", type: "radio", name, value, id: `${id}-${value}` }),
          h("label", { class: "nhsuk-label nhsuk-radios__label", for: `${id}-${value}` }, text))))));
}

function checkboxes(name, id, choices, legend) {
  return h("div", { class: "nhsuk-form-group", "data-field": name },
    h("fieldset", { class: "nhsuk-fieldset" },
      h("legend", { class: "nhsuk-fieldset__legend nhsuk-fieldset__legend--s" }, legend),
      h("div", { class: "nhsuk-checkboxes nhsuk-checkboxes--small" }, choices.map(([value, text]) =>
        h("div", { class: "nhsuk-checkboxes__item" },
          h("input", { class: "nhsuk-checkboxes__input", type: "checkbox", name, value, id: `${id}-${value}` }),
          h("label", { class: "nhsuk-label nhsuk-checkboxes__label", for: `${id}-${value}` }, text))))));
}

function showError(form, field, message) {
  const group = form.querySelector(`[data-field="${field}"]`);
  group.classList.add("nhsuk-form-group--error");
  const legendOrLabel = group.querySelector("legend, label");
  legendOrLabel.after(h("span", { class: "nhsuk-error-message" }, h("span", { class: "nhsuk-u-visually-hidden" }, "Error: "), message));
}

function contactForm(visit, choices) {
  const id = `contact-${visit.appointment_id}`;
  const form = h("form", { class: "waypoint-offline-form", novalidate: true },
    radios("attendance", `${id}-attendance`, choices.attendance, "What happened"),
    h("div", { class: "nhsuk-form-group", "data-field": "duration_minutes" },
      h("label", { class: "nhsuk-label", for: `${id}-minutes` }, "Length (minutes)"),
      h("div", { class: "nhsuk-hint", id: `${id}-minutes-hint` }, "Not needed if it did not happen"),
      h("input", { class: "nhsuk-input nhsuk-input--width-3", id: `${id}-minutes`, name: "duration_minutes", type: "text", inputmode: "numeric", value: String(visit.minutes), "aria-describedby": `${id}-minutes-hint` })),
    checkboxes("activities", `${id}-activities`, choices.activities, "What was done"),
    h("button", { class: "nhsuk-button", type: "submit" }, "Save what happened"));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    form.querySelectorAll(".nhsuk-error-message").forEach((e) => e.remove());
    form.querySelectorAll(".nhsuk-form-group--error").forEach((e) => e.classList.remove("nhsuk-form-group--error"));
    const data = new FormData(form);
    const attendance = data.get("attendance") || "";
    const minutes = String(data.get("duration_minutes") || "").trim();
    const activities = data.getAll("activities");
    const attended = attendance === choices.attendance[0][0];
    let ok = true;
    if (!attendance) { showError(form, "attendance", "Choose what happened"); ok = false; }
    if (attended && !/^[0-9]{1,3}$/.test(minutes)) { showError(form, "duration_minutes", "Enter how long the contact lasted, in minutes"); ok = false; }
    if (attended && !activities.length) { showError(form, "activities", "Choose what was done"); ok = false; }
    if (!ok) { form.querySelector(".nhsuk-form-group--error input").focus(); return; }
    await enqueue(newItem("contact", visit, { data: { attendance, duration_minutes: attended ? minutes : "", activities, start_time: visit.time } }));
    await refresh(`What happened at ${visit.time} is saved on this phone.`);
  });
  return form;
}

function noteForm(visit, contactItem) {
  const id = `note-${visit.appointment_id}`;
  const form = h("form", { class: "waypoint-offline-form", novalidate: true },
    h("div", { class: "nhsuk-form-group", "data-field": "text" },
      h("label", { class: "nhsuk-label", for: id }, "Note"),
      h("div", { class: "nhsuk-hint", id: `${id}-hint` }, "Saved as a draft. Check it and sign it in Waypoint afterwards."),
      h("textarea", { class: "nhsuk-textarea", id, name: "text", rows: "6", "aria-describedby": `${id}-hint` })),
    h("button", { class: "nhsuk-button nhsuk-button--secondary", type: "submit" }, "Save note draft"));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    form.querySelectorAll(".nhsuk-error-message").forEach((e) => e.remove());
    const text = form.elements.text.value.trim();
    if (!text) { showError(form, "text", "Write the note"); form.elements.text.focus(); return; }
    await enqueue(newItem("note", visit, { text, contact_item: contactItem ? contactItem.id : null }));
    await refresh(`The note about ${visit.person.name} is saved on this phone.`);
  });
  return form;
}

function details(summary, ...content) {
  return h("details", { class: "nhsuk-details" },
    h("summary", { class: "nhsuk-details__summary" }, h("span", { class: "nhsuk-details__summary-text" }, summary)),
    h("div", { class: "nhsuk-details__text" }, ...content));
}

function describe(item, choices) {
  if (item.kind === "note") return `Note draft: ${item.text}`;
  const parts = [label(choices.attendance, item.data.attendance)];
  if (item.data.duration_minutes) parts.push(`${item.data.duration_minutes} minutes`);
  if (item.data.activities.length) parts.push(item.data.activities.map((code) => label(choices.activities, code)).join(", "));
  return `What happened: ${parts.join("; ")}`;
}

function visitCard(visit, items) {
  const person = visit.person;
  const mine = items.filter((item) => item.appointment_id === visit.appointment_id && item.kind !== "shown");
  const contactItem = mine.find((item) => item.kind === "contact");
  const headingId = `visit-${visit.appointment_id}`;
  return h("section", { class: "nhsuk-card waypoint-visit", "aria-labelledby": headingId },
    h("div", { class: "nhsuk-card__content" },
      h("h2", { class: "nhsuk-card__heading nhsuk-heading-m", id: headingId }, `${visit.time} ${person.name}`),
      h("p", { class: "nhsuk-body-s nhsuk-u-margin-bottom-2" }, `NHS number ${person.nhs_number || "not known"}. Born ${person.date_of_birth}.`),
      person.address ? h("p", { class: "nhsuk-body-s nhsuk-u-margin-bottom-2" }, person.address, person.phone ? `. Phone ${person.phone}` : "") : null,
      h("p", {}, `${visit.purpose} (${visit.how}, ${visit.where.toLowerCase()}, ${visit.minutes} minutes)`),
      visit.alerts.length ? h("div", { class: "nhsuk-warning-callout" },
        h("h3", { class: "nhsuk-warning-callout__label" }, h("span", { role: "text" }, h("span", { class: "nhsuk-u-visually-hidden" }, "Important: "), "Alerts")),
        h("ul", {}, visit.alerts.map((alert) => h("li", {}, h("strong", {}, `${alert.category}: `), alert.summary)))) : h("p", {}, "No alerts."),
      h("ul", { class: "nhsuk-list" }, visit.banner.map((line) => h("li", {}, line))),
      h("h3", { class: "nhsuk-heading-s" }, "Next depot"),
      visit.depot
        ? h("p", {}, `${visit.depot.drug} ${visit.depot.dose} (${visit.depot.route.toLowerCase()}): due ${visit.depot.next_due}, between ${visit.depot.window}.`,
            visit.depot.late ? h("strong", {}, " Late.") : null,
            visit.depot.last_given ? ` Last given ${visit.depot.last_given}.` : " Not given yet.")
        : h("p", {}, "No depot."),
      ...["crisis", "safety"].map((kind) => {
        const plan = visit.plans.find((p) => p.kind === kind);
        const title = kind === "crisis" ? "Crisis and contingency plan" : "Safety plan";
        if (!plan) return h("div", {}, h("h3", { class: "nhsuk-heading-s" }, title), h("p", {}, `No agreed ${title.toLowerCase()}.`));
        return h("div", { class: "waypoint-plan" },
          h("h3", { class: "nhsuk-heading-s" }, `${plan.title} (agreed ${plan.agreed_on})`),
          plan.sections.map((section) => h("div", {}, h("h4", { class: "nhsuk-heading-xs nhsuk-u-margin-bottom-1" }, section.label), h("p", {}, section.text))));
      }),
      visit.recorded
        ? h("p", {}, h("strong", { class: "nhsuk-tag nhsuk-tag--green" }, `Recorded: ${visit.recorded.attendance}`), ` by ${visit.recorded.by} at ${visit.recorded.at}`)
        : null,
      mine.map((item) => h("p", { class: "waypoint-queued" }, h("strong", { class: "nhsuk-tag nhsuk-tag--grey" }, item.status === "waiting" ? "Waiting to send" : "Not sent"), " ", describe(item, day.choices))),
      visit.recorded || contactItem ? null : details(`Record what happened at ${visit.time}`, contactForm(visit, day.choices)),
      details(`Write a note about ${person.name}`, noteForm(visit, contactItem))));
}

function queuePanel(items) {
  const waiting = items.filter((item) => item.status === "waiting" && item.kind !== "shown");
  const problems = items.filter((item) => item.status !== "waiting");
  const panel = h("div", { id: "offline-queue-panel" });
  if (problems.length) {
    panel.append(h("div", { class: "nhsuk-error-summary", role: "alert", tabindex: "-1" },
      h("h2", { class: "nhsuk-error-summary__title" }, "Not sent: please check"),
      h("div", { class: "nhsuk-error-summary__body" }, h("ul", { class: "nhsuk-list" }, problems.map((item) =>
        h("li", { class: "waypoint-problem" },
          h("p", {}, item.message, item.link ? [" ", h("a", { href: item.link }, "Open their entry")] : null),
          h("p", {}, h("strong", {}, "What you entered: "), describe(item, day.choices)),
          h("button", { class: "nhsuk-button nhsuk-button--secondary nhsuk-button--small", type: "button", onclick: async () => { await remove("queue", item.id); await refresh("Removed from this phone."); } }, "I have copied this: remove it from this phone")))))));
  }
  panel.append(h("p", { id: "offline-waiting" }, waiting.length
    ? `${waiting.length} ${waiting.length === 1 ? "item" : "items"} waiting to send.`
    : "Nothing waiting to send."));
  panel.append(h("button", { class: "nhsuk-button", type: "button", disabled: !navigator.onLine, onclick: () => sync() }, "Send now"));
  panel.append(" ", h("button", { class: "nhsuk-button nhsuk-button--secondary", type: "button", id: "offline-refresh", disabled: !navigator.onLine, onclick: () => backOnline() }, "Refresh my visits"));
  return panel;
}

async function render(message = "") {
  const items = await queued();
  unsent = items.filter((item) => item.kind !== "shown").length;
  const list = document.getElementById("visit-list");
  list.replaceChildren(
    day.visits.length ? h("p", {}, `${day.day_label}: ${day.visits.length} ${day.visits.length === 1 ? "visit" : "visits"}. Loaded at ${day.generated_label}.`) : h("p", {}, `No visits in your diary for ${day.day_label}.`),
    ...day.visits.map((visit) => visitCard(visit, items)));
  document.getElementById("offline-queue").replaceChildren(queuePanel(items));
  const until = new Date(key.expires_at).toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit" });
  document.getElementById("offline-status").replaceChildren(
    h("p", { class: "nhsuk-u-margin-bottom-2" }, h("strong", {}, navigator.onLine ? "Online." : "Offline: no signal."),
      ` Saved on this phone, encrypted, until ${until} or until you sign out. What you record is kept here and sent when there is a signal.`),
    ...(message ? [h("p", { class: "waypoint-offline-message" }, message)] : []));
}

async function refresh(message) {
  await render(message);
  if (navigator.onLine) await sync();
}

// --- Sending ---

function markRecorded(item) {
  const visit = day.visits.find((v) => v.appointment_id === item.appointment_id);
  if (visit && !visit.recorded) {
    visit.recorded = { attendance: label(day.choices.attendance, item.data.attendance), by: day.worker, at: time(new Date().toISOString()) };
  }
}

async function sync(retry = true) {
  if (syncing || !key) return;
  const items = (await queued()).filter((item) => item.status === "waiting");
  if (!items.length) return;
  syncing = true;
  let message = "";
  let again = false;
  try {
    const ticket = await fetch(root.dataset.syncUrl, { credentials: "same-origin", headers: { Accept: "application/json" } });
    if (ticket.redirected || !ticket.ok || !(ticket.headers.get("Content-Type") || "").includes("json")) {
      message = ["You have been signed out. ", h("a", { href: root.dataset.signIn }, "Sign in again"), " to send what you recorded: it is kept on this phone until then."];
      return;
    }
    const { csrf_token, key_id } = await ticket.json();
    if (key_id !== key.id) {
      // Someone has signed in since this page took its key: the same worker again, or someone
      // else. Nothing is sent until the page has this session's key, which moves over only what
      // this worker may open (adoptKey); then it sends once more.
      const refreshed = await refreshDay();
      message = refreshed ?? "Waypoint could not take these just now. They are kept on this phone: try again soon.";
      again = retry && refreshed !== null;
      return;
    }
    const response = await fetch(root.dataset.syncUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf_token, Accept: "application/json" },
      body: JSON.stringify({ items: items.map(({ status, message, link, ...item }) => item) }),
    });
    if (!response.ok) { message = "Waypoint could not take these just now. They are kept on this phone: try again soon."; return; }
    const { results } = await response.json();
    const byId = new Map(items.map((item) => [item.id, item]));
    let saved = 0;
    for (const result of results) {
      const item = byId.get(result.id);
      if (!item) continue;
      if (result.status === "saved") {
        await remove("queue", item.id);
        if (item.kind !== "shown") saved += 1;
        if (item.kind === "contact") markRecorded(item);
      }
      else await enqueue({ ...item, status: result.status, message: result.message, link: result.link || "" });
    }
    await put("day", "current", await seal(day));
    message = saved ? `Sent ${saved} ${saved === 1 ? "item" : "items"} to Waypoint.` : "";
  } catch (error) {
    message = "No signal: what you recorded is kept on this phone and will be sent later.";
  } finally {
    syncing = false;
    if (day) await render(message);
    if (again) await sync(false);
  }
}

// --- Refreshing the day (back online, or "Refresh my visits") ---

// Fetches My visits today again (the same page, so it is audited as it was the first time) and
// takes its key: the queue stays, moved to that key if it is a new one. Returns the message to
// show, or null if the day could not be fetched (no signal, or signed out).
async function refreshDay() {
  if (!navigator.onLine || !key) return null;
  try {
    const response = await fetch(root.dataset.dayUrl, { credentials: "same-origin", headers: { Accept: "text/html" } });
    if (response.redirected || !response.ok) return null;
    const page = new DOMParser().parseFromString(await response.text(), "text/html");
    const data = page.getElementById("visit-day-data");
    if (!data) return null;
    const payload = JSON.parse(data.textContent);
    const lost = await adoptKey(payload.device);
    day = payload.day;
    await put("day", "current", await seal(day));
    return `Visits refreshed at ${day.generated_label}.` + (lost ? ` ${lostMessage(lost)}` : "");
  } catch (error) {
    return null;
  }
}

// Back online (or "Refresh my visits"): the day first (so the page has this session's key), then
// what is waiting is sent.
async function backOnline() {
  await render();
  const message = await refreshDay();
  if (message) await render(message);
  await sync();
}

// --- Start ---

async function start() {
  const data = document.getElementById("visit-day-data");
  if (!window.crypto || !crypto.subtle || !window.indexedDB) return; // the server-rendered page stays
  let message = "";
  if (data) {
    const payload = JSON.parse(data.textContent);
    data.remove(); // the key is not left in the page
    const lost = await adoptKey(payload.device);
    day = payload.day;
    await put("day", "current", await seal(day));
    if (lost) message = lostMessage(lost);
  } else {
    key = await loadKey();
    const sealed = key && (await get("day", "current"));
    day = sealed ? await unseal(sealed).catch(() => null) : null;
    if (!day) {
      document.getElementById("visit-list").replaceChildren(
        h("p", {}, locked.length
          ? "Your visits are no longer saved on this phone. Open My visits today while you have a signal to load them again."
          : "Nothing is saved on this phone. Open My visits today while you have a signal, before you go out."),
        ...lockedNotice());
      return;
    }
    // Shown from the phone's copy: each person shown is audited when the phone next has a signal.
    for (const visit of day.visits) await enqueue(newItem("shown", visit, {}));
  }
  await render(message);
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(root.dataset.serviceWorker, { scope: root.dataset.scope }).catch(() => {});
  }
  window.addEventListener("online", () => backOnline());
  window.addEventListener("offline", () => render());
  const signOut = document.querySelector("form.nhsuk-header__account-form");
  if (signOut) {
    signOut.addEventListener("submit", (event) => {
      const what = `${unsent} ${unsent === 1 ? "item has" : "items have"} not been sent.`;
      if (unsent && !window.confirm(`${what} Signing out deletes them from this phone. Sign out anyway?`)) {
        event.preventDefault();
      }
    });
  }
  if (navigator.onLine) await sync();
}

start();
