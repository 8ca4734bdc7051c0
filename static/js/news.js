// "Xem thêm" on news listings, as a progressive enhancement. Without this
// file the button is a plain link to ?page=N+1. With it, the next page's
// cards are appended in place, keyboard focus moves to the first new card,
// and the address bar shows the page reached so the URL stays shareable.
(function () {
  "use strict";

  function replaceStatus(status, newDocument) {
    var newStatus = newDocument.querySelector("[data-load-more-status]");
    if (status && newStatus) {
      status.textContent = newStatus.textContent;
    }
  }

  function loadMore(link) {
    var list = document.querySelector("[data-load-more-list]");
    if (!list || !window.fetch || !window.DOMParser) {
      return false;
    }
    var url = link.href;
    // The page's language gives both words (data-loading-label on the link).
    var label = link.textContent;
    link.setAttribute("aria-disabled", "true");
    link.textContent = link.getAttribute("data-loading-label") || "Đang tải…";
    list.setAttribute("aria-busy", "true");
    fetch(url, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("HTTP " + response.status);
        }
        return response.text();
      })
      .then(function (html) {
        var newDocument = new DOMParser().parseFromString(html, "text/html");
        var newList = newDocument.querySelector("[data-load-more-list]");
        var items = newList ? Array.prototype.slice.call(newList.children) : [];
        items.forEach(function (item) {
          list.appendChild(document.importNode(item, true));
        });
        var appended = items.length ? Array.prototype.slice.call(list.children, -items.length) : [];
        var nextLink = newDocument.querySelector("[data-load-more]");
        replaceStatus(document.querySelector("[data-load-more-status]"), newDocument);
        // The "previous page" link no longer makes sense once pages are joined.
        var previous = document.querySelector("[data-previous-page]");
        if (previous) {
          previous.remove();
        }
        if (nextLink) {
          link.href = nextLink.getAttribute("href");
          link.textContent = label;
          link.removeAttribute("aria-disabled");
        } else {
          link.remove();
        }
        list.removeAttribute("aria-busy");
        if (window.history && window.history.replaceState) {
          window.history.replaceState(null, "", url);
        }
        var firstLink = appended.length ? appended[0].querySelector("a") : null;
        if (firstLink) {
          firstLink.focus();
        }
      })
      .catch(function () {
        // Anything unexpected: fall back to the plain link.
        window.location.href = url;
      });
    return true;
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest("a[data-load-more]");
    if (!link || event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) {
      return;
    }
    if (link.getAttribute("aria-disabled") === "true") {
      event.preventDefault();
      return;
    }
    if (loadMore(link)) {
      event.preventDefault();
    }
  });
})();
