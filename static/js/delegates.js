/* The organizer's delegate list: "select every delegate on this page" and a count of the selected.
   Loaded as a file (no inline script); without JavaScript the row checkboxes still work. */
(function () {
  "use strict";
  var all = document.getElementById("select-all");
  var form = document.getElementById("bulk-form");
  if (!all || !form) { return; }
  var boxes = Array.prototype.slice.call(form.querySelectorAll('input[type="checkbox"][name="ids"]'));
  var counter = document.getElementById("selected-count");
  var template = form.getAttribute("data-selected-text") || "%(num)s";

  function sync() {
    var checked = boxes.filter(function (box) { return box.checked; }).length;
    all.checked = checked > 0 && checked === boxes.length;
    all.indeterminate = checked > 0 && checked < boxes.length;
    if (counter) {
      counter.hidden = checked === 0;
      counter.textContent = checked ? template.replace("%(num)s", String(checked)) : "";
    }
  }

  all.closest(".select-all").hidden = false;
  all.addEventListener("change", function () {
    boxes.forEach(function (box) { box.checked = all.checked; });
    sync();
  });
  boxes.forEach(function (box) { box.addEventListener("change", sync); });
  sync();
}());
