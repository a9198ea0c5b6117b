// Easel studio: progressive enhancement. Every page works without this script (plain links and
// form posts); with it, plans refresh as you type, orders update live, actions answer in place,
// the gallery scrolls on, and times show in your own zone.
(function () {
  "use strict";

  const FRAGMENT = { "X-Easel-Fragment": "1" };
  const TERMINAL = ["completed", "partially_completed", "failed", "rejected", "expired", "cancelled"];
  const EVENT_KINDS = [
    "requested", "approval_requested", "approved", "rejected", "expired", "queued", "started",
    "batch_started", "batch_finished", "batch_failed", "refined", "refinement_stopped",
    "completed", "partially_completed", "failed", "cancelled",
  ];
  const APPROVAL_KINDS = ["approval_requested", "approved", "rejected", "expired", "cancelled"];

  document.documentElement.classList.add("js");

  // ---------- Helpers ----------

  function parse(html) {
    return new DOMParser().parseFromString(html, "text/html");
  }

  async function fetchText(url, options) {
    const response = await fetch(url, Object.assign({ credentials: "same-origin" }, options));
    return { response, text: await response.text() };
  }

  function debounce(fn, ms) {
    let timer = 0;
    return function () {
      clearTimeout(timer);
      timer = setTimeout(fn, ms);
    };
  }

  /** Listens to a server-sent event stream for every event kind; returns the EventSource. */
  function listen(url, onEvent, onFail) {
    if (!("EventSource" in window)) {
      onFail();
      return null;
    }
    const source = new EventSource(url);
    const handler = function (e) { onEvent(e.type, e.data || ""); };
    source.addEventListener("message", handler);
    EVENT_KINDS.forEach(function (kind) { source.addEventListener(kind, handler); });
    source.addEventListener("error", function () {
      // CLOSED means the server refused the stream (not there, or signed out): fall back to polling.
      if (source.readyState === EventSource.CLOSED) onFail();
    });
    return source;
  }

  // ---------- Local times and countdowns ----------

  const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

  function localize(root) {
    (root || document).querySelectorAll("time[data-local]").forEach(function (el) {
      const at = new Date(el.getAttribute("datetime"));
      if (isNaN(at.getTime()) || el.dataset.localized) return;
      el.title = el.textContent.trim();
      el.textContent = dateFormat.format(at);
      el.dataset.localized = "1";
    });
  }

  function remaining(ms) {
    if (ms <= 0) return "expired";
    const s = Math.floor(ms / 1000);
    const d = Math.floor(s / 86400);
    const h = Math.floor((s % 86400) / 3600);
    const m = Math.floor((s % 3600) / 60);
    const sec = s % 60;
    const two = function (n) { return String(n).padStart(2, "0"); };
    if (d >= 1) return d + "d " + h + "h left";
    if (h >= 1) return h + "h " + two(m) + "m left";
    return m + "m " + two(sec) + "s left";
  }

  function tickCountdowns() {
    const now = Date.now();
    document.querySelectorAll("[data-countdown]").forEach(function (el) {
      const left = new Date(el.dataset.countdown).getTime() - now;
      const text = remaining(left);
      if (el.textContent !== text) el.textContent = text;
      el.classList.toggle("countdown--expired", left <= 0);
    });
  }

  // ---------- Swapping parts of the page after an action ----------

  const REGIONS = ["flash", "sheet", "approvals", "site-nav", "live-status"];

  /** Replaces each known region of this page with the same region of the answer; false when none matched. */
  function swapRegions(doc) {
    let swapped = false;
    REGIONS.forEach(function (id) {
      const here = document.getElementById(id);
      const there = doc.getElementById(id);
      if (!here || !there) return;
      here.innerHTML = there.innerHTML;
      swapped = true;
    });
    localize(document);
    if (swapped) document.dispatchEvent(new CustomEvent("easel:swapped"));
    return swapped;
  }

  function focusFlash() {
    const notice = document.querySelector("#flash .notice");
    if (!notice) return;
    notice.setAttribute("tabindex", "-1");
    notice.focus({ preventScroll: false });
  }

  document.addEventListener("submit", async function (e) {
    const form = e.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-swap") || !window.fetch) return;
    e.preventDefault();
    const submitter = e.submitter;
    const action = (submitter && submitter.getAttribute("formaction")) || form.getAttribute("action") || location.href;
    const body = new FormData(form);
    form.setAttribute("aria-busy", "true");
    if (submitter) submitter.disabled = true;
    try {
      const { response, text } = await fetchText(action, { method: "POST", body: body });
      if (!swapRegions(parse(text))) {
        location.assign(response.url || location.href);
        return;
      }
      focusFlash();
    } catch (err) {
      // The network failed: let the browser post the form itself.
      form.removeAttribute("data-swap");
      if (submitter) submitter.disabled = false;
      form.requestSubmit(submitter || undefined);
      return;
    } finally {
      form.removeAttribute("aria-busy");
    }
    if (submitter && submitter.isConnected) submitter.disabled = false;
  });

  // ---------- Create: the plan ----------

  function initCreate() {
    const form = document.getElementById("create-form");
    if (!form) return;
    const plan = document.getElementById("plan");
    const url = form.dataset.planUrl;
    const shape = form.querySelector("[data-shape]");
    const custom = form.querySelector("[data-custom-size]");
    let controller = null;

    function showCustom() {
      if (!shape || !custom) return;
      const input = custom.querySelector("input");
      const needed = shape.value === "custom" || (input && (input.value.trim() !== "" || input.getAttribute("aria-invalid") === "true"));
      custom.hidden = !needed;
    }

    function quoteBody() {
      const body = new FormData(form);
      // Files are uploaded once, with the order; the plan only needs how many there are.
      const files = body.getAll("referenceFiles").filter(function (f) { return f && f.size > 0; });
      body.delete("referenceFiles");
      body.set("UploadCount", String(files.length));
      return body;
    }

    async function refreshPlan() {
      if (controller) controller.abort();
      controller = new AbortController();
      plan.setAttribute("aria-busy", "true");
      try {
        const { response, text } = await fetchText(url, { method: "POST", body: quoteBody(), headers: FRAGMENT, signal: controller.signal });
        if (response.ok) plan.innerHTML = text;
      } catch (err) {
        if (err.name !== "AbortError") plan.setAttribute("data-stale", "1");
      } finally {
        plan.removeAttribute("aria-busy");
      }
    }

    const schedule = debounce(function () {
      const prompt = form.elements.namedItem("Prompt");
      if (prompt && prompt.value.trim() !== "") refreshPlan();
    }, 600);

    form.addEventListener("input", schedule);
    form.addEventListener("change", function (e) {
      if (e.target === shape) {
        showCustom();
        if (shape.value === "custom") custom.querySelector("input").focus();
      }
      schedule();
    });
    form.addEventListener("submit", function (e) {
      const submitter = e.submitter;
      if (submitter && (submitter.getAttribute("formaction") || "").indexOf("handler=Quote") >= 0) {
        e.preventDefault();
        refreshPlan();
      }
    });
    showCustom();
  }

  // ---------- Order: live progress ----------

  /** Sets the nav's Approvals badge from a refreshed fragment's data-pending count. */
  function updatePendingBadge(root) {
    const badge = document.getElementById("pending-count");
    const pending = root.querySelector("[data-pending]");
    if (!badge || !pending) return;
    const n = Number(pending.dataset.pending);
    badge.hidden = n === 0;
    badge.innerHTML = '<span class="visually-hidden">, </span>' + n + '<span class="visually-hidden"> pending</span>';
  }

  function initOrder() {
    const root = document.getElementById("sheet");
    if (!root) return;
    const orderId = root.dataset.order;
    const url = root.dataset.sheetUrl;
    const status = document.getElementById("live-status");
    const streams = {};
    let pollTimer = 0;
    let refreshing = false;
    let again = false;

    function watched() {
      const sheet = root.querySelector(".sheet");
      return ((sheet && sheet.dataset.watch) || "").split(" ").filter(Boolean);
    }

    function focusKey() {
      const active = document.activeElement;
      if (!active || !root.contains(active)) return null;
      const slot = active.closest("li[id]");
      return { slot: slot && slot.id, tag: active.tagName, text: active.textContent.trim() };
    }

    function restoreFocus(key) {
      if (!key || !key.slot) return;
      const slot = document.getElementById(key.slot);
      if (!slot) return;
      const match = Array.from(slot.querySelectorAll(key.tag)).find(function (el) { return el.textContent.trim() === key.text; });
      (match || slot.querySelector("a, button"))?.focus({ preventScroll: true });
    }

    async function refresh() {
      if (refreshing) {
        again = true;
        return;
      }
      refreshing = true;
      try {
        const { response, text } = await fetchText(url, { headers: FRAGMENT });
        if (!response.ok) return;
        const open = Array.from(root.querySelectorAll("details[open][id]")).map(function (d) { return d.id; });
        const key = focusKey();
        root.innerHTML = text;
        open.forEach(function (id) { document.getElementById(id)?.setAttribute("open", ""); });
        localize(root);
        restoreFocus(key);
        const sheet = root.querySelector(".sheet");
        if (status && sheet && status.textContent !== sheet.dataset.statusText) status.textContent = sheet.dataset.statusText;
        updatePendingBadge(root);
        reconcile();
      } catch (err) {
        // Try again on the next event or poll.
      } finally {
        refreshing = false;
        if (again) {
          again = false;
          refresh();
        }
      }
    }

    const refreshSoon = debounce(refresh, 200);

    function startPolling() {
      if (pollTimer) return;
      pollTimer = setInterval(function () {
        if (watched().length === 0) {
          clearInterval(pollTimer);
          pollTimer = 0;
          return;
        }
        refresh();
      }, 3000);
    }

    function stream(key, wanted, streamUrl, relevant) {
      if (!wanted) {
        if (streams[key]) {
          streams[key].close();
          delete streams[key];
        }
        return;
      }
      if (streams[key]) return;
      streams[key] = listen(streamUrl, function (type, data) {
        if (!relevant(data)) return;
        refreshSoon();
        if (key === "own" && TERMINAL.indexOf(type) >= 0) {
          // The order ended: one last refresh, and no more events from its stream.
          streams.own?.close();
          delete streams.own;
        }
      }, startPolling);
    }

    function reconcile() {
      const ids = watched();
      const others = ids.filter(function (id) { return id !== orderId; });
      stream("own", ids.indexOf(orderId) >= 0, "/api/v1/orders/" + encodeURIComponent(orderId) + "/events", function () { return true; });
      stream("all", others.length > 0, "/api/v1/events", function (data) {
        return others.some(function (id) { return data.indexOf(id) >= 0; });
      });
    }

    // An action answered in place (approve, regenerate, decide): follow whatever the new sheet says to watch.
    document.addEventListener("easel:swapped", reconcile);
    reconcile();
  }

  // ---------- Approvals: keep the list current ----------

  function initApprovals() {
    const root = document.getElementById("approvals");
    if (!root) return;
    const url = root.dataset.listUrl;

    function busy() {
      const active = document.activeElement;
      if (active && root.contains(active) && active.matches("input, select, textarea, button")) return true;
      return Array.from(root.querySelectorAll("input[type=text], input[type=number]")).some(function (i) { return i.value.trim() !== ""; });
    }

    async function refresh() {
      if (busy()) {
        // Someone is deciding: do not pull the form from under them; look again shortly.
        setTimeout(refreshSoon, 3000);
        return;
      }
      try {
        const { response, text } = await fetchText(url, { headers: FRAGMENT });
        if (!response.ok) return;
        const open = Array.from(root.querySelectorAll("details[open][id]")).map(function (d) { return d.id; });
        root.innerHTML = text;
        open.forEach(function (id) { document.getElementById(id)?.setAttribute("open", ""); });
        localize(root);
        tickCountdowns();
        updatePendingBadge(root);
      } catch (err) {
        // Try again on the next event.
      }
    }

    const refreshSoon = debounce(refresh, 400);
    listen("/api/v1/events", function (type) {
      if (APPROVAL_KINDS.indexOf(type) >= 0 || type === "message") refreshSoon();
    }, function () {
      setInterval(refreshSoon, 15000);
    });
  }

  // ---------- Gallery: search key and infinite scroll ----------

  function initGallery() {
    const search = document.querySelector("[data-search]");
    if (search) {
      document.addEventListener("keydown", function (e) {
        if (e.key !== "/" || e.ctrlKey || e.metaKey || e.altKey) return;
        const target = e.target;
        if (target instanceof HTMLElement && (target.isContentEditable || target.matches("input, textarea, select"))) return;
        e.preventDefault();
        search.focus();
        search.select();
      });
    }

    const results = document.getElementById("results");
    const pager = document.getElementById("pager");
    if (!results || !pager) return;
    const status = document.getElementById("gallery-status");
    let loading = false;
    let observer = null;

    async function loadMore(fromKeyboard) {
      const link = pager.querySelector("#older");
      if (!link || loading || !link.dataset.nextPage) return;
      loading = true;
      link.setAttribute("aria-busy", "true");
      try {
        const { response, text } = await fetchText(link.dataset.nextPage, { headers: FRAGMENT });
        if (!response.ok) {
          location.assign(link.href);
          return;
        }
        const doc = parse(text);
        const items = Array.from(doc.querySelectorAll("[data-items] > li"));
        const first = items[0];
        items.forEach(function (li) {
          li.classList.add("arrived");
          results.appendChild(document.adoptNode(li));
        });
        pager.innerHTML = doc.querySelector("[data-pager]")?.innerHTML || "";
        localize(results);
        if (status) status.textContent = items.length + " older images loaded.";
        if (fromKeyboard && first) first.querySelector("a")?.focus();
        observe();
      } catch (err) {
        location.assign(link.href);
      } finally {
        loading = false;
      }
    }

    function observe() {
      const link = pager.querySelector("#older");
      if (!link || !("IntersectionObserver" in window)) return;
      if (!observer) {
        observer = new IntersectionObserver(function (entries) {
          if (entries.some(function (en) { return en.isIntersecting; })) loadMore(false);
        }, { rootMargin: "600px 0px" });
      }
      observer.disconnect();
      observer.observe(link);
    }

    pager.addEventListener("click", function (e) {
      const link = e.target instanceof Element ? e.target.closest("#older") : null;
      if (!link || e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return;
      e.preventDefault();
      loadMore(e.detail === 0);
    });
    observe();
  }

  // ---------- Small things ----------

  function initAutosubmit() {
    document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
      select.addEventListener("change", function () { select.form?.requestSubmit(); });
    });
  }

  function start() {
    localize(document);
    tickCountdowns();
    setInterval(tickCountdowns, 1000);
    initCreate();
    initOrder();
    initApprovals();
    initGallery();
    initAutosubmit();
    // After a full-page post, bring the message into view for screen readers and keyboard users.
    if (document.querySelector("#flash .notice--bad")) focusFlash();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
