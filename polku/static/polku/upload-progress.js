// Progress for large uploads (the share-list import). Forms marked data-progress="ID"
// are sent with XMLHttpRequest so the <progress> in element ID can follow the upload;
// once the file is up, the bar turns indeterminate while the server checks the rows.
// Without JavaScript the form posts normally.
"use strict";

document.addEventListener("submit", (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || !form.dataset.progress) return;
  const box = document.getElementById(form.dataset.progress);
  if (!box || !window.FormData) return;
  event.preventDefault();
  const bar = box.querySelector("progress");
  const status = box.querySelector("[role=status]");
  const say = (text) => { status.textContent = text; };
  box.hidden = false;
  form.querySelectorAll("button").forEach((button) => { button.disabled = true; });

  const request = new XMLHttpRequest();
  request.open("POST", form.action || window.location.href);
  request.upload.addEventListener("progress", (progress) => {
    if (!progress.lengthComputable) return;
    bar.max = progress.total;
    bar.value = progress.loaded;
    say(box.dataset.uploading.replace("{percent}", Math.round((100 * progress.loaded) / progress.total)));
  });
  request.upload.addEventListener("load", () => {
    bar.removeAttribute("value");
    say(box.dataset.checking);
  });
  request.addEventListener("load", () => {
    if (request.responseURL && new URL(request.responseURL).pathname !== window.location.pathname) {
      window.location.assign(request.responseURL);  // the preview page of the new import
      return;
    }
    // The form came back with errors: show it as the server rendered it.
    const page = new DOMParser().parseFromString(request.responseText, "text/html");
    document.querySelector("main").replaceWith(page.querySelector("main"));
    document.getElementById("error-summary")?.focus();
  });
  request.addEventListener("error", () => {
    say(box.dataset.failed);
    form.querySelectorAll("button").forEach((button) => { button.disabled = false; });
  });
  request.send(new FormData(form));
});
