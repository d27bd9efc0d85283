// Large uploads (the share-list import). A file input with data-max-bytes refuses a
// larger file as soon as it is chosen, before anything is sent (the server refuses it
// too, from the request's size). Forms marked data-progress="ID" are sent with
// XMLHttpRequest so the <progress> in element ID follows the upload; once the file is
// up the bar turns indeterminate while the server takes it in, and the import's page
// then shows the background check's own progress. Without JavaScript the form posts
// normally.
"use strict";

const sizeError = (input) => {
  const file = input.files && input.files[0];
  return file && file.size > Number(input.dataset.maxBytes) ? input.dataset.tooLarge : "";
};

const showSizeError = (input) => {
  const message = sizeError(input);
  input.setCustomValidity(message);
  let note = document.getElementById(`${input.id}_size`);
  if (!note) {
    note = document.createElement("p");
    note.id = `${input.id}_size`;
    note.className = "error";
    note.setAttribute("role", "alert");
    input.insertAdjacentElement("beforebegin", note);
  }
  note.textContent = message;
  note.hidden = !message;
  input.setAttribute("aria-invalid", message ? "true" : "false");
};

document.addEventListener("change", (event) => {
  const input = event.target;
  if (input instanceof HTMLInputElement && input.type === "file" && input.dataset.maxBytes) {
    showSizeError(input);
  }
});

document.addEventListener("submit", (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || !form.dataset.progress) return;
  const tooLarge = [...form.querySelectorAll("input[type=file][data-max-bytes]")].find(sizeError);
  if (tooLarge) {
    event.preventDefault();
    showSizeError(tooLarge);
    tooLarge.focus();
    return;
  }
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
      window.location.assign(request.responseURL);  // the new import's page
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
