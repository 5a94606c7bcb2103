// Progressive enhancement for the media page; without it the plain form still works.
// 1. Files dropped on the upload panel go into its file field.
// 2. A click on a photo sets its focal point fields.
"use strict";

document.querySelectorAll("[data-dropzone]").forEach((zone) => {
  const input = zone.querySelector("input[type=file]");
  const chosen = zone.querySelector("[data-chosen]");
  const show = () => {
    chosen.textContent = Array.from(input.files, (file) => file.name).join(", ");
  };
  ["dragenter", "dragover"].forEach((type) =>
    zone.addEventListener(type, (event) => {
      event.preventDefault();
      zone.classList.add("dragging");
    }));
  ["dragleave", "drop"].forEach((type) =>
    zone.addEventListener(type, (event) => {
      event.preventDefault();
      zone.classList.remove("dragging");
    }));
  zone.addEventListener("drop", (event) => {
    if (event.dataTransfer && event.dataTransfer.files.length) {
      input.files = event.dataTransfer.files;
      show();
    }
  });
  input.addEventListener("change", show);
});

document.querySelectorAll("img[data-focal-for]").forEach((img) => {
  const id = img.dataset.focalFor;
  const x = document.querySelector(`[data-focal-x="${id}"]`);
  const y = document.querySelector(`[data-focal-y="${id}"]`);
  const mark = document.querySelector(`[data-focal-mark="${id}"]`);
  if (!x || !y) return;
  img.style.cursor = "crosshair";
  img.addEventListener("click", (event) => {
    const box = img.getBoundingClientRect();
    const fx = Math.min(1, Math.max(0, (event.clientX - box.left) / box.width));
    const fy = Math.min(1, Math.max(0, (event.clientY - box.top) / box.height));
    x.value = fx.toFixed(2);
    y.value = fy.toFixed(2);
    if (mark) {
      mark.style.left = `${fx * 100}%`;
      mark.style.top = `${fy * 100}%`;
    }
  });
});
