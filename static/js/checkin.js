/* The check-in desk: scans by keyboard-wedge scanner, by typing, or by the camera (BarcodeDetector).
 *
 * No libraries and no inline script: URLs, the CSRF token and every text shown come from data-*
 * attributes on #desk, rendered (and translated) by templates/checkin/desk.html. Without this
 * script the page still works through its plain forms.
 */
(function () {
  "use strict";

  var desk = document.getElementById("desk");
  if (!desk || !window.fetch) { return; }

  var data = desk.dataset;
  var scanForm = document.getElementById("scan-form");
  var input = document.getElementById("scan-token");
  var resultArea = document.getElementById("result");
  var recent = document.getElementById("recent");
  var recentList = document.getElementById("recent-list");
  var searchForm = document.getElementById("search-form");
  var searchInput = document.getElementById("search-q");
  var searchResults = document.getElementById("search-results");

  var KIND = { checked_in: "ok", already_checked_in: "already", not_confirmed: "refused", invalid: "invalid" };
  var ICON = { ok: "\u2713", already: "!", refused: "\u2715", invalid: "\u2715" };
  var BADGE_CODE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_.-]{10,}$/;  // what a badge QR holds (not a name)
  var sent = 0;    // scans sent so far
  var shown = 0;   // the newest scan whose answer is on screen
  var cameraOn = false;

  // -- small helpers ---------------------------------------------------------------------------------------

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = text; }
    return node;
  }

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (all, key) { return key in values ? values[key] : all; });
  }

  function replace(node, child) {
    while (node.firstChild) { node.removeChild(node.firstChild); }
    if (child) { node.appendChild(child); }
  }

  function urlFor(pattern, id) { return pattern.replace("{id}", encodeURIComponent(id)); }

  function focusInput() {
    // On a phone the camera is the scanner: do not pop the on-screen keyboard over it.
    if (!cameraOn) { input.focus({ preventScroll: false }); }
  }

  function buzz(ok) {
    if (navigator.vibrate) { try { navigator.vibrate(ok ? 60 : [80, 60, 80]); } catch (e) { /* ignored */ } }
  }

  // While the database restarts the server answers 503 with Retry-After; a scan is safe to repeat
  // (a second one answers "already checked in"), so the desk tries again by itself a few times.
  var RETRIES_ON_503 = 3;

  function wait(ms) {
    return new Promise(function (resolve) { window.setTimeout(resolve, ms); });
  }

  function request(url, options, attempt) {
    options = options || {};
    attempt = attempt || 0;
    var headers = { "Accept": "application/json", "X-Requested-With": "XMLHttpRequest" };
    if (options.method === "POST") { headers["X-CSRFToken"] = data.csrf; }
    return fetch(url, {
      method: options.method || "GET", body: options.body, headers: headers,
      credentials: "same-origin", cache: "no-store"
    }).then(function (response) {
      if (response.status === 503 && attempt < RETRIES_ON_503) {
        var seconds = Math.min(parseInt(response.headers.get("Retry-After"), 10) || 2, 5);
        return wait(seconds * 1000).then(function () { return request(url, options, attempt + 1); });
      }
      var type = response.headers.get("Content-Type") || "";
      if (type.indexOf("application/json") === -1) {
        var error = new Error("not json");
        error.status = response.status;
        throw error;
      }
      return response.json().then(function (body) {
        if (!response.ok) {
          var failure = new Error((body.error && body.error.message) || "failed");
          failure.status = response.status;
          failure.body = body;
          throw failure;
        }
        return body;
      });
    });
  }

  function errorText(error) {
    if (error.status === 401) { return data.msgSession; }
    if (error.status === 400 || error.status === 403) { return error.message || data.msgFailed; }
    if (error.status) { return data.msgFailed; }
    return data.msgNetwork;
  }

  // -- the answer ------------------------------------------------------------------------------------------

  function show(block) {
    block.classList.add("is-fresh");
    replace(resultArea, block);
    // On a phone the answer must be seen whole: bring the scan form to the top when it would not be.
    // The counter above it too, when everything fits.
    var visible = window.visualViewport ? window.visualViewport.height : window.innerHeight;
    var box = block.getBoundingClientRect();
    if (box.top < 0 || box.bottom > visible) {
      var deskTop = desk.getBoundingClientRect().top - 8;
      window.scrollBy(0, box.bottom - deskTop <= visible ? deskTop : scanForm.getBoundingClientRect().top - 4);
    }
  }

  function messageBlock(kind, text) {
    var block = el("div", "door-result is-" + kind);
    block.appendChild(el("p", "door-title", text));
    return block;
  }

  function resultBlock(answer) {
    var kind = KIND[answer.result] || "invalid";
    var d = answer.delegate;
    var block = el("div", "door-result is-" + kind);
    block.dataset.result = answer.result;
    var title = el("p", "door-title");
    title.appendChild(el("span", "door-icon", ICON[kind])).setAttribute("aria-hidden", "true");
    title.appendChild(document.createTextNode(" " + answer.message));
    block.appendChild(title);
    if (d) {
      block.appendChild(el("p", "door-name", d.full_name));
      var org = el("p", "door-org");
      if (d.organization) { org.appendChild(el("span", "", d.organization)); }
      if (d.sector_label) { org.appendChild(el("span", "", d.sector_label)); }
      if (org.childNodes.length) { block.appendChild(org); }
      if (d.position) { block.appendChild(el("p", "door-position", d.position)); }
    }
    if (answer.result === "already_checked_in" && answer.checked_in_at_local) {
      block.appendChild(el("p", "door-when", answer.checked_in_by
        ? fill(data.msgAtBy, { time: answer.checked_in_at_local, name: answer.checked_in_by })
        : fill(data.msgAt, { time: answer.checked_in_at_local })));
    }
    if (d && d.accessibility_needs) {
      var needs = el("p", "door-needs");
      needs.appendChild(el("strong", "", data.msgNeeds));
      needs.appendChild(document.createTextNode(" " + d.accessibility_needs));
      block.appendChild(needs);
    }
    if (d && d.participation === "online" && answer.result === "checked_in") {
      block.appendChild(el("p", "door-note", data.msgOnline));
    }
    if (answer.result === "invalid") { block.appendChild(el("p", "door-note", data.msgInvalidHint)); }
    if (answer.result === "checked_in" && answer.checkin_id) {
      var undo = el("button", "button door-undo", data.msgUndo);
      undo.type = "button";
      undo.addEventListener("click", function () { undoCheckin(answer, undo); });
      var row = el("div", "door-undo-form");
      row.appendChild(undo);
      block.appendChild(row);
    }
    return block;
  }

  function remember(answer) {
    var kind = KIND[answer.result] || "invalid";
    var item = el("li");
    item.appendChild(el("span", "recent-dot is-" + kind)).setAttribute("aria-hidden", "true");
    var now = new Date();
    item.appendChild(el("time", "", ("0" + now.getHours()).slice(-2) + ":" + ("0" + now.getMinutes()).slice(-2)));
    item.appendChild(el("span", "", answer.message + (answer.delegate ? " \u2014 " + answer.delegate.full_name : "")));
    recentList.insertBefore(item, recentList.firstChild);
    while (recentList.children.length > 6) { recentList.removeChild(recentList.lastChild); }
    recent.hidden = false;
  }

  function answered(seq, answer) {
    remember(answer);
    if (seq >= shown) {          // an older scan answering late does not hide a newer one
      shown = seq;
      show(resultBlock(answer));
    }
    buzz(answer.result === "checked_in");
    refreshCountsSoon();
  }

  function failed(seq, error) {
    if (seq >= shown) {
      shown = seq;
      show(messageBlock("error", errorText(error)));
    }
    buzz(false);
  }

  // -- scanning --------------------------------------------------------------------------------------------

  function submitScan(code) {
    code = (code || "").trim();
    if (!code) { return; }
    var seq = ++sent;
    var body = new URLSearchParams();
    body.set("token", code);
    request(data.scanUrl, { method: "POST", body: body })
      .then(function (answer) { answered(seq, answer); })
      .catch(function (error) { failed(seq, error); });
  }

  scanForm.addEventListener("submit", function (event) {
    event.preventDefault();
    var code = input.value;
    input.value = "";            // ready for the next badge before this one's answer arrives
    focusInput();
    submitScan(code);
  });

  function undoCheckin(answer, button) {
    button.disabled = true;
    request(urlFor(data.undoUrl, answer.checkin_id), { method: "POST" })
      .then(function (body) {
        show(messageBlock("undone", body.message));
        refreshCountsSoon();
        refreshSearch();
      })
      .catch(function (error) {
        show(messageBlock("error", error.status === 404 ? data.msgUndoGone : errorText(error)));
      })
      .then(focusInput);
  }

  // Keys typed while nothing editable has the focus (a scanner after a click elsewhere) go to the input.
  document.addEventListener("keydown", function (event) {
    var target = event.target;
    var editable = target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
    if (editable || event.ctrlKey || event.metaKey || event.altKey || !event.key || event.key.length !== 1
        || event.key === " ") { return; }   // a space still presses the focused button
    input.focus();
  });

  // A click on empty space puts the focus back (desktop only: a phone would pop its keyboard).
  if (window.matchMedia && window.matchMedia("(pointer: fine)").matches) {
    document.addEventListener("click", function (event) {
      if (!event.target.closest("a, button, input, select, textarea, label, summary, video")
          && !window.getSelection().toString()) {
        focusInput();
      }
    });
  }
  window.addEventListener("focus", function () {
    if (document.activeElement === document.body) { focusInput(); }
  });

  // -- counts ----------------------------------------------------------------------------------------------

  var countsTimer = null;

  function setText(id, value) {
    var node = document.getElementById(id);
    if (node) { node.textContent = value; }
  }

  function renderCounts(counts) {
    setText("count-total", counts.checked_in);
    setText("count-expected", counts.expected);
    setText("count-total-2", counts.checked_in);
    setText("count-expected-2", counts.expected);
    var body = document.getElementById("counts-body");
    replace(body);
    Object.keys(counts.by_sector).forEach(function (sector) {
      var row = counts.by_sector[sector];
      var tr = el("tr");
      tr.dataset.sector = sector;
      tr.appendChild(el("th", "", row.label)).setAttribute("scope", "row");
      tr.appendChild(el("td", "", row.checked_in));
      tr.appendChild(el("td", "", row.expected));
      body.appendChild(tr);
    });
  }

  function refreshCounts() {
    countsTimer = null;
    request(data.countsUrl).then(renderCounts).catch(function () { /* the next refresh will tell */ });
  }

  function refreshCountsSoon() {
    // A burst of scans makes one request, shortly after the last of them.
    if (countsTimer) { clearTimeout(countsTimer); }
    countsTimer = setTimeout(refreshCounts, 400);
  }

  setInterval(function () { if (!document.hidden) { refreshCounts(); } }, 15000);
  document.addEventListener("visibilitychange", function () { if (!document.hidden) { refreshCounts(); } });

  // -- search (delegates without their badge) ---------------------------------------------------------------

  var searchTimer = null;
  var searchSeq = 0;

  function renderMatches(matches) {
    if (!matches.length) {
      replace(searchResults, el("p", "empty", data.msgNoMatches));
      return;
    }
    var list = el("ul", "match-list");
    matches.forEach(function (m) {
      var item = el("li", "match");
      var who = el("div", "match-who");
      who.appendChild(el("p", "match-name", m.full_name));
      var meta = el("p", "meta");
      if (m.organization) { meta.appendChild(el("span", "", m.organization)); }
      meta.appendChild(el("span", "", m.sector_label));
      who.appendChild(meta);
      item.appendChild(who);
      var state = el("div", "match-state");
      if (m.checked_in_at_local) {
        state.appendChild(el("span", "badge badge-arrived", fill(data.msgAt, { time: m.checked_in_at_local })));
      } else if (m.may_check_in) {
        var button = el("button", "button button-primary", data.msgCheckIn);
        button.type = "button";
        button.addEventListener("click", function () { manualCheckin(m, button); });
        state.appendChild(button);
      } else {
        state.appendChild(el("span", "badge badge-" + m.status, m.status_label));
      }
      item.appendChild(state);
      list.appendChild(item);
    });
    replace(searchResults, list);
  }

  function runSearch() {
    searchTimer = null;
    var q = searchInput.value.trim();
    if (q.length < 2) { replace(searchResults); return; }
    var seq = ++searchSeq;
    var url = data.searchUrl + "?q=" + encodeURIComponent(q);
    request(url).then(function (matches) {
      if (seq === searchSeq) { renderMatches(matches); }
    }).catch(function (error) {
      if (seq === searchSeq) { replace(searchResults, el("p", "error", errorText(error))); }
    });
  }

  function refreshSearch() { if (searchInput.value.trim().length >= 2) { runSearch(); } }

  searchInput.addEventListener("input", function () {
    if (searchTimer) { clearTimeout(searchTimer); }
    searchTimer = setTimeout(runSearch, 250);
  });

  searchForm.addEventListener("submit", function (event) {
    event.preventDefault();
    var q = searchInput.value.trim();
    if (BADGE_CODE.test(q)) {     // a badge scanned while the search box had the focus
      searchInput.value = "";
      replace(searchResults);
      focusInput();
      submitScan(q);
      return;
    }
    runSearch();
  });

  function manualCheckin(match, button) {
    button.disabled = true;
    var seq = ++sent;
    request(urlFor(data.manualUrl, match.id), { method: "POST" })
      .then(function (answer) {
        answered(seq, answer);
        refreshSearch();
      })
      .catch(function (error) { button.disabled = false; failed(seq, error); });
  }

  // -- camera (where the browser can read QR codes) ----------------------------------------------------------

  var camera = document.getElementById("camera");
  var cameraNote = document.getElementById("camera-note");
  var cameraButton = document.getElementById("camera-toggle");
  var cameraError = document.getElementById("camera-error");
  var video = document.getElementById("camera-video");
  var detector = null;
  var stream = null;
  var loopTimer = null;
  var lastCode = "";
  var lastCodeAt = 0;
  var REPEAT_MS = 3000;   // the same badge held in front of the camera is one scan
  var FRAME_MS = 150;

  function cameraUnsupported() { cameraNote.hidden = false; }

  function stopCamera() {
    cameraOn = false;
    if (loopTimer) { clearTimeout(loopTimer); loopTimer = null; }
    if (stream) { stream.getTracks().forEach(function (track) { track.stop(); }); stream = null; }
    video.srcObject = null;
    video.hidden = true;
    cameraButton.textContent = data.msgCameraStart;
    cameraButton.setAttribute("aria-pressed", "false");
  }

  function detectLoop() {
    if (!cameraOn) { return; }
    var next = function () { if (cameraOn) { loopTimer = setTimeout(detectLoop, FRAME_MS); } };
    if (video.readyState < 2) { next(); return; }
    detector.detect(video).then(function (codes) {
      var now = Date.now();
      for (var i = 0; i < codes.length; i++) {
        var code = (codes[i].rawValue || "").trim();
        if (!code) { continue; }
        if (code === lastCode && now - lastCodeAt < REPEAT_MS) { lastCodeAt = now; continue; }
        lastCode = code;
        lastCodeAt = now;
        submitScan(code);
        break;
      }
    }).catch(function () { /* a frame the detector could not read */ }).then(next);
  }

  function startCamera() {
    cameraError.hidden = true;
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false })
      .then(function (media) {
        stream = media;
        cameraOn = true;
        video.srcObject = media;
        video.hidden = false;
        cameraButton.textContent = data.msgCameraStop;
        cameraButton.setAttribute("aria-pressed", "true");
        return video.play();
      })
      .then(detectLoop)
      .catch(function () {
        stopCamera();
        cameraError.textContent = data.msgCameraError;
        cameraError.hidden = false;
      });
  }

  function setUpCamera() {
    if (!("BarcodeDetector" in window) || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      cameraUnsupported();
      return;
    }
    Promise.resolve(window.BarcodeDetector.getSupportedFormats()).then(function (formats) {
      if (!formats || formats.indexOf("qr_code") === -1) { cameraUnsupported(); return; }
      detector = new window.BarcodeDetector({ formats: ["qr_code"] });
      camera.hidden = false;
      cameraButton.addEventListener("click", function () {
        if (cameraOn) { stopCamera(); focusInput(); } else { startCamera(); }
      });
      document.addEventListener("visibilitychange", function () { if (document.hidden && cameraOn) { stopCamera(); } });
      window.addEventListener("pagehide", stopCamera);
    }).catch(cameraUnsupported);
  }

  setUpCamera();
  focusInput();
})();
