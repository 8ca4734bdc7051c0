// Zalo's share button on article pages (only when DJANGO_ZALO_OA_ID is set).
// The page shows "Zalo: sao chép liên kết" with the article's address, which
// is what a reader gets without JavaScript or while Zalo's SDK is blocked or
// unreachable. Once the SDK has loaded (it draws its own button into
// .zalo-share-button), that text steps aside for the button.
(function () {
  "use strict";

  var holder = document.querySelector("[data-zalo-share]");
  var sdk = document.getElementById("zalo-sdk");
  if (!holder || !sdk) {
    return;
  }

  function showButton() {
    if (!window.ZaloSocialSDK) {
      return;
    }
    var fallback = holder.querySelector("[data-zalo-fallback]");
    if (fallback) {
      fallback.hidden = true;
    }
  }

  // Selecting the whole address on focus makes copying one gesture.
  holder.addEventListener("focusin", function (event) {
    if (event.target.matches("input[readonly]")) {
      event.target.select();
    }
  });

  if (window.ZaloSocialSDK) {
    showButton();
  } else {
    sdk.addEventListener("load", showButton);
  }
})();
