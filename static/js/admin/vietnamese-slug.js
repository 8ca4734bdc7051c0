// Admin slug pre-fill that matches cchc_portal.vietnamese.slugify exactly.
// Django's URLify turns "đ" into "dj" and deletes Vietnamese vowels; the
// admin's prepopulate.js calls the global URLify when the title changes, so
// replacing it here is enough (this file loads after admin/js/urlify.js).
(function () {
  "use strict";

  // Python's str.isspace() over ASCII: \t \n \v \f \r, space and \x1c-\x1f.
  var NOT_WORD_SPACE_OR_HYPHEN = /[^A-Za-z0-9_\t\n\x0b\x0c\r \x1c-\x1f-]/g;
  var HYPHENS_AND_SPACES = /[\t\n\x0b\x0c\r \x1c-\x1f-]+/g;

  function vietnameseSlugify(text, maxLength) {
    var slug = String(text)
      // đ/Đ are letters of their own: no decomposition maps them to d.
      .replace(/đ/g, "d")
      .replace(/Đ/g, "D")
      // Tones and vowel marks decompose into combining marks; everything
      // left outside ASCII is dropped, as Django's slugify does.
      .normalize("NFKD")
      .replace(/[^\x00-\x7f]/g, "")
      .toLowerCase()
      .replace(NOT_WORD_SPACE_OR_HYPHEN, "")
      .replace(HYPHENS_AND_SPACES, "-")
      .replace(/^[-_]+|[-_]+$/g, "");
    if (maxLength && slug.length > maxLength) {
      slug = slug.slice(0, maxLength).replace(/-+$/, "");
    }
    return slug;
  }

  window.URLify = function (text, maxLength) {
    return vietnameseSlugify(text, maxLength);
  };
  window.vietnameseSlugify = vietnameseSlugify;
})();
