document.documentElement.classList.add("js");try{var s=localStorage.getItem("cchc-text-size");if(s)document.documentElement.setAttribute("data-text-size",s)}catch(e){}
